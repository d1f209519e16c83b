using System.Globalization;
using MifActors.Pmip.Internal;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip;

/// <summary>
/// An application class (draft-koodli-flow-handover-00 §3, "application policy profiles"): the flows it covers by
/// transport protocol and port, and the access technologies that serve it, best first.
/// </summary>
/// <param name="Name">The class name, e.g. <c>www</c> or <c>voip</c>.</param>
/// <param name="Ports">Ports that put a flow in this class (source or destination); empty matches any port.</param>
/// <param name="Protocol">IP protocol number (6 TCP, 17 UDP); null matches any.</param>
/// <param name="AccessTechnologies">Access technologies in order of preference.</param>
public sealed record ApplicationClass(
    string Name,
    IReadOnlySet<ushort> Ports,
    byte? Protocol,
    IReadOnlyList<AccessTechnologyType> AccessTechnologies)
{
    public bool Matches(FlowTuple flow, byte? protocol) =>
        (Protocol is null || protocol is null || Protocol == protocol)
        && (Ports.Count == 0 || Ports.Contains(flow.SourcePort) || Ports.Contains(flow.DestinationPort));
}

/// <summary>
/// The LMA's policy (draft §3): application classes, and per-MN overrides from the subscription that replace a
/// class's preference order for one MN.
/// </summary>
public sealed record PolicyProfiles(
    IReadOnlyList<ApplicationClass> Classes,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<AccessTechnologyType>>> Subscribers)
{
    public static PolicyProfiles Empty { get; } = new([], new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<AccessTechnologyType>>>());

    /// <summary>The class a flow belongs to: the named one if given, else the first whose pattern matches.</summary>
    public ApplicationClass? Classify(FlowTuple flow, byte? protocol, string? className) =>
        className is not null
            ? Classes.FirstOrDefault(c => c.Name == className)
            : Classes.FirstOrDefault(c => c.Matches(flow, protocol));

    /// <summary>The access technologies, best first, for this MN and class: the subscriber's override, else the class's.</summary>
    public IReadOnlyList<AccessTechnologyType> Preference(string mobileNode, ApplicationClass applicationClass) =>
        Subscribers.TryGetValue(mobileNode, out var overrides) && overrides.TryGetValue(applicationClass.Name, out var order)
            ? order
            : applicationClass.AccessTechnologies;

    /// <summary>
    /// Reads <c>application-classes.&lt;name&gt;.{ports, protocol, access-technologies}</c> and
    /// <c>subscribers."&lt;mn-id&gt;".&lt;class&gt; = [access technologies]</c> from the LMA section.
    /// </summary>
    internal static PolicyProfiles From(ConfigReader lma)
    {
        var classes = new List<ApplicationClass>();
        var definitions = lma.Section("application-classes");
        foreach (var name in lma.GetKeys("application-classes"))
        {
            var section = definitions.Section(Key(name));
            var ports = section.Has("ports")
                ? section.GetList("ports").Select(p => ushort.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port)
                    ? port
                    : throw section.Error("ports", "expected port numbers", p)).ToHashSet()
                : [];
            var text = section.Has("protocol") ? section.GetString("protocol") : "any";
            byte? protocol = text switch
            {
                "" or "any" => null,
                "tcp" => 6,
                "udp" => 17,
                _ => byte.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                    ? number
                    : throw section.Error("protocol", "expected tcp, udp, any or a protocol number", text),
            };
            classes.Add(new ApplicationClass(name, ports, protocol, AccessTechnologies(section, "access-technologies")));
        }

        var subscribers = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<AccessTechnologyType>>>();
        var subscriptions = lma.Section("subscribers");
        foreach (var mobileNode in lma.GetKeys("subscribers"))
        {
            var subscriber = subscriptions.Section(Key(mobileNode));
            subscribers[mobileNode] = subscriptions.GetKeys(Key(mobileNode)).ToDictionary(c => c, c => AccessTechnologies(subscriber, c));
        }

        return new PolicyProfiles(classes, subscribers);
    }

    /// <summary>A HOCON path element: quoted when the key has dots or other characters a bare key cannot hold (an NAI).</summary>
    private static string Key(string key) => key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? key : PmipConfig.Quote(key);

    private static IReadOnlyList<AccessTechnologyType> AccessTechnologies(ConfigReader section, string key) =>
        section.GetList(key).Select(name => Enum.TryParse<AccessTechnologyType>(name, ignoreCase: true, out var type) && Enum.IsDefined(type)
            ? type
            : throw section.Error(key,
                $"expected access technology names such as {string.Join(", ", Enum.GetNames<AccessTechnologyType>().Skip(1))}", name)).ToArray();
}

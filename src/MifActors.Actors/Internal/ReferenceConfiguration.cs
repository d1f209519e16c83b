using Microsoft.Extensions.Configuration;

namespace MifActors.Actors.Internal;

/// <summary>Layers the user's configuration over the project's reference defaults.</summary>
internal static class ReferenceConfiguration
{
    // Interim: these mirror hocon/reference.conf until the HOCON provider lands and reads that file itself.
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["mifactors:actor:throughput"] = "30",
        ["mifactors:actor:ask-timeout"] = "5s",
        ["mifactors:actor:log-dead-letters"] = "10",
        ["mifactors:testkit:single-expect-default"] = "3s",
        ["mifactors:testkit:expect-no-message-default"] = "100ms",
        ["mifactors:testkit:time-factor"] = "1.0",
        ["mifactors:persistence:journal:plugin"] = "sqlite",
        ["mifactors:persistence:journal:sqlite:connection-string"] = "Data Source=mifactors.db",
        ["mifactors:persistence:journal:postgresql:connection-string"] = "",
        ["mifactors:persistence:snapshot-store:plugin"] = "sqlite",
        ["mifactors:persistence:snapshot-store:sqlite:connection-string"] = "Data Source=mifactors.db",
        ["mifactors:persistence:snapshot-store:postgresql:connection-string"] = "",
        ["mifactors:pmip:udp-port"] = "5436",
        ["mifactors:pmip:binding-lifetime"] = "600s",
        ["mifactors:pmip:binding-refresh-before"] = "30s",
        ["mifactors:pmip:pbu-initial-retransmit"] = "1s",
        ["mifactors:pmip:pbu-max-tries"] = "5",
        ["mifactors:pmip:fhrq-initial-retransmit"] = "500ms",
        ["mifactors:pmip:fhrq-max-tries"] = "5",
        ["mifactors:pmip:flow-lifetime"] = "300s",
        ["mifactors:pmip:ffe-renew-before"] = "30s",
        ["mifactors:pmip:heartbeat-interval"] = "60s",
        ["mifactors:pmip:heartbeat-missed-limit"] = "2",
        ["mifactors:pmip:replay-window"] = "300ms",
        ["mifactors:pmip:mh-type-flow-handover"] = "200",
        ["mifactors:pmip:option-type-flow-ipv6-address"] = "22",
        ["mifactors:pmip:option-type-flow-ipv4-address"] = "201",
        ["mifactors:pmip:option-type-flow-ports"] = "202",
        ["mifactors:pmip:option-type-flow-qos"] = "203",
        ["mifactors:pmip:authentication-subtype"] = "1",
        ["mifactors:pmip:reject-unknown-options"] = "false",
        ["mifactors:pmip:mag:ffe-capacity"] = "1024",
        ["mifactors:pmip:mag:admitted-dscp"] = "",
    };

    public static IConfiguration Over(IConfiguration? user)
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(Defaults);
        if (user is not null) builder.AddConfiguration(user);
        return builder.Build();
    }
}

using System.Runtime.Serialization;
using Akka.Actor;
using MifActors.Pmip.LocalMobilityAnchor.Internal;
using MifActors.Pmip.MobilityAccessGateway.Internal;
using MifActors.Pmip.Persistence;

namespace MifActors.Pmip.Tests.Persistence;

/// <summary>
/// Our <see cref="PmipSerializer"/>: every event and snapshot round-trips, the HOCON binding gives it every one of
/// them, and the bytes kept in <c>Persistence/Golden</c> (what this version of each manifest writes, kept for good)
/// still read back to the same values.
/// </summary>
public sealed class PmipSerializerTests : IDisposable
{
    private readonly ActorSystem system = ActorSystem.Create("serializer", PmipConfig.Default);

    private PmipSerializer Serializer => (PmipSerializer)system.Serialization.FindSerializerForType(typeof(BceCreated));

    public static TheoryData<string> Manifests => [.. PmipSerializer.Manifests];

    [Fact]
    public void Every_event_and_snapshot_type_has_a_sample_and_a_manifest_of_its_own()
    {
        Assert.Equal(PmipSerializer.Manifests.Order(), PersistenceSamples.ByManifest.Keys.Order());
        Assert.Equal(PmipSerializer.Manifests.Count, PmipSerializer.Manifests.Distinct().Count());
        var types = typeof(PmipSerializer).Assembly.GetTypes().Where(t => typeof(IPmipPersistent).IsAssignableFrom(t) && !t.IsInterface).ToHashSet();
        Assert.Equal(types, PersistenceSamples.ByManifest.Values.Select(v => v.GetType()).ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void The_HOCON_binding_gives_every_type_our_serializer_never_Akka_s_JSON(string manifest)
    {
        var sample = PersistenceSamples.ByManifest[manifest];
        var serializer = system.Serialization.FindSerializerFor(sample);

        Assert.IsType<PmipSerializer>(serializer);
        Assert.Equal(PmipSerializer.Id, serializer.Identifier);
        Assert.Equal(manifest, Akka.Serialization.Serialization.ManifestFor(serializer, sample));
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_event_and_snapshot_round_trips(string manifest)
    {
        var sample = PersistenceSamples.ByManifest[manifest];
        var bytes = Serializer.ToBinary(sample);

        var back = Serializer.FromBinary(bytes, manifest);

        Assert.Equal(sample.GetType(), back.GetType());
        Assert.Equal(bytes, Serializer.ToBinary(back));
        Assert.Equal(Describe(sample), Describe(back));
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void The_golden_vector_of_every_manifest_still_reads_to_its_value_and_writes_the_same_bytes(string manifest)
    {
        var golden = Convert.FromHexString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Persistence", "Golden", manifest + ".hex")).Trim());

        var value = Serializer.FromBinary(golden, manifest);

        Assert.Equal(Describe(PersistenceSamples.ByManifest[manifest]), Describe(value));
        Assert.Equal(golden, Serializer.ToBinary(value));
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void A_payload_cut_short_or_with_bytes_left_over_fails_naming_its_manifest(string manifest)
    {
        var bytes = Serializer.ToBinary(PersistenceSamples.ByManifest[manifest]);

        for (var length = 0; length < bytes.Length; length++)
        {
            var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes[..length], manifest));
            Assert.Contains(manifest, error.Message, StringComparison.Ordinal);
        }

        var longer = Assert.Throws<SerializationException>(() => Serializer.FromBinary([.. bytes, 0], manifest));
        Assert.Contains("1 bytes are left over", longer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_manifest_says_the_journal_is_from_a_newer_build_or_not_ours()
    {
        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary([1, 2, 3], "lma-bce-created.v9"));
        Assert.Contains("\"lma-bce-created.v9\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_impossible_value_is_refused_rather_than_read()
    {
        var bytes = Serializer.ToBinary(new FhrqHandled(1, FhrqOutcome.Created, [], 0, DateTimeOffset.UnixEpoch, Wire.FlowHandoverStatus.Success, null));
        bytes[2] = 9;

        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, "mag-fhrq-handled.v1"));
        Assert.Contains("FHRQ outcome 9", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Records compare arrays by reference: compare what they print, arrays spelled out.</summary>
    private static string Describe(object value) => value switch
    {
        System.Collections.IEnumerable items and not string => "[" + string.Join(", ", items.Cast<object>().Select(Describe)) + "]",
        _ when value.GetType().Namespace?.StartsWith("MifActors", StringComparison.Ordinal) == true && Properties(value).Length > 0 =>
            value.GetType().Name + "{" + string.Join(", ", Properties(value).Select(p => p.Name + "=" + Describe(p.GetValue(value) ?? "null"))) + "}",
        _ => value.ToString() ?? "",
    };

    private static System.Reflection.PropertyInfo[] Properties(object value) =>
        value.GetType().GetProperties(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public);

    public void Dispose() => system.Dispose();
}

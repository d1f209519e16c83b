using System.Net;
using MifActors.Mif.Network.Linux.Internal.Netlink;
using MifActors.Mif.Network.Linux.Internal.RouterAdvertisements;
using MifActors.Mif.Tests.Network.Linux.Support;
using MifActors.Testing.Namespaces;

namespace MifActors.Mif.Tests.Network.Linux;

/// <summary>
/// The decoders on damaged input: captured messages with bytes flipped, cut, stretched and length fields rewritten,
/// and random bytes. Whatever comes in, a decoder returns a typed error or a well-formed result; it never throws.
/// The seeds are fixed, so a failure can be replayed.
/// </summary>
public sealed class DecoderFuzzSpec
{
    private const int MutationsPerSeed = 3000;

    [Fact]
    public void Damaged_rtnetlink_datagrams_give_errors_or_well_formed_objects_and_never_throw()
    {
        var random = new Random(8801);
        var errors = 0;
        var decoded = 0;
        foreach (var seed in Vectors.All("rtnetlink-6.18.hex"))
        {
            for (var i = 0; i < MutationsPerSeed / 10; i++)
            {
                var datagram = Mutate(seed, random);
                var changes = new List<RtnetlinkChange>();
                var problems = new List<string>();
                var interrupted = false;
                RtnetlinkDatagram.Read(datagram, changes, problems.Add, out _, ref interrupted);
                errors += problems.Count;
                decoded += changes.Count;
                foreach (var change in changes) AssertWellFormed(change);
            }
        }

        Assert.True(errors > 1000, $"only {errors} errors: the mutations do not reach the checks");
        Assert.True(decoded > 1000, $"only {decoded} objects decoded: the mutations break everything");
    }

    [Fact]
    public void Damaged_router_advertisements_give_errors_or_well_formed_advertisements_and_never_throw()
    {
        var random = new Random(4861);
        var seeds = Vectors.All("radvd-2.19.hex").Append(new RouterAdvertisementBuilder()
            .Prefix("2001:db8:1::/64", 600, 300).Route("2001:db8:100::/48", 600, 1).Mtu(1280)
            .ProvisioningDomain("pvd.example.com", 3, embedded: inner => inner.Rdnss(600, "2001:db8::53").Dnssl(600, "a.example", "b.example"),
                embeddedHeader: new RouterAdvertisementBuilder(900))
            .Build()).ToArray();
        var codes = new HashSet<RouterAdvertisementErrorCode>();
        var accepted = 0;
        foreach (var seed in seeds)
        {
            for (var i = 0; i < MutationsPerSeed; i++)
            {
                var message = Mutate(seed, random);
                var error = RouterAdvertisementDecoder.Decode(message, IPAddress.Parse("fe80::1"), DateTimeOffset.UnixEpoch, out var ra, out var skipped);
                if (error.IsError)
                {
                    codes.Add(error.Code);
                    Assert.Null(ra);
                    Assert.False(string.IsNullOrEmpty(error.Message));
                    continue;
                }

                accepted++;
                if (skipped.IsError) codes.Add(skipped.Code);
                Assert.All(ra!.Prefixes, p => Assert.InRange(p.Length, 0, 128));
                Assert.All(ra.Routes, r => Assert.InRange(r.Length, 0, 128));
                Assert.All(ra.DnsServers, d => Assert.NotEmpty(d.Servers));
                Assert.All(ra.SearchLists.SelectMany(s => s.Domains), d => Assert.InRange(d.Length, 1, 254));
            }
        }

        Assert.True(accepted > 100, $"only {accepted} mutated advertisements were accepted");
        Assert.Superset(
            new HashSet<RouterAdvertisementErrorCode>
            {
                RouterAdvertisementErrorCode.Truncated, RouterAdvertisementErrorCode.OptionTruncated, RouterAdvertisementErrorCode.ZeroOptionLength,
                RouterAdvertisementErrorCode.BadOptionLength, RouterAdvertisementErrorCode.BadOptionValue,
            },
            codes);
    }

    [Fact]
    public void Random_bytes_never_make_a_decoder_throw()
    {
        var random = new Random(1035);
        for (var i = 0; i < 20000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && random.Next(2) == 0) bytes[0] = RouterAdvertisementDecoder.IcmpTypeRouterAdvertisement;
            RouterAdvertisementDecoder.Decode(bytes, IPAddress.Parse("fe80::1"), DateTimeOffset.UnixEpoch, out _, out _);
            var interrupted = false;
            RtnetlinkDatagram.Read(bytes, [], _ => { }, out _, ref interrupted);
            RtnetlinkDecoder.DecodeLink(bytes, Rtnetlink.NewLink, out _);
            RtnetlinkDecoder.DecodeAddress(bytes, Rtnetlink.NewAddress, out _);
            RtnetlinkDecoder.DecodeRoute(bytes, Rtnetlink.NewRoute, out _);
            RtnetlinkDecoder.DecodeError(bytes, Rtnetlink.FlagAckTlvs, out _, out _, out _);
        }
    }

    private static void AssertWellFormed(RtnetlinkChange change)
    {
        switch (change)
        {
            case LinkChange link:
                Assert.InRange(link.Link.Name.Length, 1, 15);
                break;
            case AddressChange address:
                Assert.InRange(address.Address.PrefixLength, 0, address.Address.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
                break;
            case RouteChange route:
                Assert.InRange(route.Route.DestinationLength, 0, route.Route.Family == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
                break;
        }
    }

    // One of: flip a few bytes, cut the end, add random bytes, rewrite a byte that is likely a length field.
    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = seed.ToArray();
        switch (random.Next(5))
        {
            case 0:
                for (var flips = random.Next(1, 4); flips > 0; flips--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            case 2:
                var longer = new byte[bytes.Length + random.Next(1, 40)];
                bytes.CopyTo(longer, 0);
                random.NextBytes(longer.AsSpan(bytes.Length));
                return longer;
            case 3:
                // Lengths sit at the start of netlink headers and attributes (4-aligned) and in option octet 1.
                var at = random.Next(bytes.Length / 4) * 4 + (random.Next(2) == 0 ? 0 : 1);
                if (at < bytes.Length) bytes[at] = (byte)random.Next(256);
                return bytes;
            default:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
        }
    }
}

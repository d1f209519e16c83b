using System.Net;
using MifActors.Pmip.Tests.Support;
using Akka.Event;
using MifActors.Pmip.Wire;
using Xunit.Abstractions;

namespace MifActors.Pmip.Tests.Nodes;

/// <summary>Random and mutated datagrams into a running LMA through its transport (issue 5, "Security and bad input").</summary>
public sealed class LmaFuzzTests(ITestOutputHelper output) : PmipScenario(output)
{
    private const int Inputs = 50_000;

    [Fact]
    public void Random_and_mutated_datagrams_change_no_state_and_each_is_counted_as_an_error()
    {
        Build();
        HandOverWww();
        var seeds = Lab.Network.Sent.Where(d => d.To.Equals(PmipLab.LmaAddress)).Select(d => d.Bytes).ToList();
        seeds.Add(SecurityScenarioTests.Signed(
            new FlowHandoverReply(1, true, FlowHandoverStatus.Success, 0, Mn, new[] { PmipLab.Www }),
            PmipLab.WifiAddress, PmipLab.LmaAddress, 0x100, PmipLab.WifiKey));
        var before = LmaState();
        var counters = Lab.Lma.Counters;
        var events = Events("lma").Count;
        var random = new Random(5436);
        var logs = CreateTestProbe();
        Sys.EventStream.Subscribe(logs, typeof(LogEvent));
        IPAddress[] senders = [PmipLab.WifiAddress, PmipLab.CellularAddress, IPAddress.Parse("2001:db8:dead::1"), IPAddress.Parse("192.0.2.66")];

        for (var i = 0; i < Inputs; i++)
        {
            var seed = seeds[random.Next(seeds.Count)];
            var input = Mutate(random, seed);
            Lab.Network.Inject(senders[random.Next(senders.Length)], PmipLab.LmaAddress, input);
        }

        Settle();

        var after = Lab.Lma.Counters;
        Assert.Equal(Inputs, after.Received - counters.Received);
        Assert.Equal(Inputs, after.Errors - counters.Errors);
        Assert.Equal(events, Events("lma").Count);
        var state = LmaState();
        Assert.Equal(before.Bindings, state.Bindings);
        Assert.Equal(before.FlowForwardingEntries, state.FlowForwardingEntries);
        Assert.Equal(WifiMag, Lab.Lma.Route(PmipLab.Www));
        var failures = new List<LogEvent>();
        var drops = 0;
        while (logs.ReceiveOne(TimeSpan.Zero) is LogEvent log)
        {
            if (log.LogLevel() >= LogLevel.ErrorLevel || log.Cause is not null) failures.Add(log);
            if (log.ToString().Contains("Dropped a datagram", StringComparison.Ordinal)) drops++;
        }

        Assert.Empty(failures);
        Assert.True(drops > 0, "the drops were not logged, or the log did not reach the event stream");
    }

    /// <summary>A datagram that differs from <paramref name="seed"/>: flipped bits, cut, grown, spliced or random.</summary>
    private static byte[] Mutate(Random random, byte[] seed)
    {
        while (true)
        {
            var bytes = (byte[])seed.Clone();
            switch (random.Next(6))
            {
                case 0:
                    for (var n = random.Next(1, 4); n > 0; n--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes = bytes[..random.Next(bytes.Length)];
                    break;
                case 2:
                    bytes = [.. bytes, .. Enumerable.Range(0, random.Next(1, 24)).Select(_ => (byte)random.Next(256))];
                    break;
                case 3:
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    break;
                case 4:
                    var length = random.Next(0, 96);
                    bytes = new byte[length];
                    random.NextBytes(bytes);
                    break;
                default:
                    var at = random.Next(2, bytes.Length);
                    bytes[1] = (byte)random.Next(256);
                    bytes[at - 1] ^= 0xFF;
                    break;
            }

            if (!bytes.AsSpan().SequenceEqual(seed)) return bytes;
        }
    }
}

using System.Net;
using MifActors.Pmip.Wire;

namespace MifActors.Pmip.Transport;

/// <summary>One datagram on an <see cref="InMemoryMobilityNetwork"/>.</summary>
public sealed record InMemoryDatagram(IPAddress From, IPAddress To, byte[] Bytes, MobilityHeaderCodecOptions Codec)
{
    /// <summary>The message, if the bytes decode (whether or not they would authenticate); for matching in tests.</summary>
    public MobilityMessage? Message => MobilityHeaderCodec.TryDecode(Bytes, Codec, out var message, out _) ? message : null;
}

/// <summary>
/// A deterministic network for tests: a send is delivered at once, in order, to the transport with that address.
/// Tests can drop or duplicate chosen datagrams, inject their own, and read back everything sent.
/// </summary>
public sealed class InMemoryMobilityNetwork
{
    private readonly Lock gate = new();
    private readonly Dictionary<IPAddress, Endpoint> endpoints = [];
    private readonly List<InMemoryDatagram> sent = [];
    private readonly List<(Func<InMemoryDatagram, bool> Match, int Remaining, bool Duplicate)> rules = [];

    public InMemoryMobilityNetwork(MobilityHeaderCodecOptions? codec = null) => Codec = codec ?? MobilityHeaderCodecOptions.Default;

    public MobilityHeaderCodecOptions Codec { get; }

    /// <summary>Every datagram sent so far, dropped ones included, in order.</summary>
    public IReadOnlyList<InMemoryDatagram> Sent
    {
        get
        {
            lock (gate) return [.. sent];
        }
    }

    /// <summary>Datagrams dropped by <see cref="Drop"/> rules or for lack of a receiver.</summary>
    public int Dropped { get; private set; }

    public IMobilityTransport Attach(IPAddress address)
    {
        lock (gate)
        {
            if (endpoints.ContainsKey(address)) throw new InvalidOperationException($"address {address} is already attached to this network");
            var endpoint = new Endpoint(this, address);
            endpoints[address] = endpoint;
            return endpoint;
        }
    }

    /// <summary>Drops the next <paramref name="count"/> datagrams that match.</summary>
    public void Drop(Func<InMemoryDatagram, bool> match, int count = 1)
    {
        lock (gate) rules.Add((match, count, false));
    }

    /// <summary>Delivers the next <paramref name="count"/> matching datagrams twice.</summary>
    public void Duplicate(Func<InMemoryDatagram, bool> match, int count = 1)
    {
        lock (gate) rules.Add((match, count, true));
    }

    /// <summary>Delivers raw bytes as if <paramref name="from"/> had sent them.</summary>
    public void Inject(IPAddress from, IPAddress to, byte[] bytes) => Deliver(new InMemoryDatagram(from, to, bytes, Codec), record: false);

    private void Deliver(InMemoryDatagram datagram, bool record)
    {
        Endpoint? target;
        var copies = 1;
        lock (gate)
        {
            if (record) sent.Add(datagram);
            for (var i = 0; i < rules.Count; i++)
            {
                var rule = rules[i];
                if (!rule.Match(datagram)) continue;
                rules[i] = rule with { Remaining = rule.Remaining - 1 };
                if (rules[i].Remaining == 0) rules.RemoveAt(i);
                copies = rule.Duplicate ? 2 : 0;
                break;
            }

            endpoints.TryGetValue(datagram.To, out target);
            if (copies == 0 || target is null)
            {
                Dropped++;
                return;
            }

            if (target.Receiver is null)
            {
                // Like a bound socket's receive buffer: held until the node's transport actor starts reading.
                for (var i = 0; i < copies; i++) target.Waiting.Enqueue(datagram);
                return;
            }
        }

        for (var i = 0; i < copies; i++) target.Receiver!(new IPEndPoint(datagram.From, 0), (byte[])datagram.Bytes.Clone());
    }

    private sealed class Endpoint(InMemoryMobilityNetwork network, IPAddress address) : IMobilityTransport
    {
        public IPAddress LocalAddress => address;

        public Action<IPEndPoint, byte[]>? Receiver { get; private set; }

        public Queue<InMemoryDatagram> Waiting { get; } = new();

        public void Start(Action<IPEndPoint, byte[]> receive)
        {
            InMemoryDatagram[] waiting;
            lock (network.gate)
            {
                Receiver = receive;
                waiting = [.. Waiting];
                Waiting.Clear();
            }

            foreach (var datagram in waiting) receive(new IPEndPoint(datagram.From, 0), (byte[])datagram.Bytes.Clone());
        }

        public IPEndPoint PeerEndPoint(IPAddress peer) => new(peer, 0);

        public void Send(IPAddress peer, ReadOnlySpan<byte> datagram) =>
            network.Deliver(new InMemoryDatagram(address, peer, datagram.ToArray(), network.Codec), record: true);

        public void Dispose()
        {
            Receiver = null;
            Waiting.Clear();
            lock (network.gate) network.endpoints.Remove(address);
        }
    }
}

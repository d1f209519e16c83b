using System.Runtime.CompilerServices;

namespace MifActors.Actors.Internal;

/// <summary>
/// The user-message queue of a mailbox: many producers, one consumer (the actor's turn). Producers claim a
/// slot with one atomic increment; the consumer takes without atomics. Slots live in segments that double from
/// 8 to 256 and are dropped once read, so an actor that never received a message holds no segment at all and an
/// idle one holds at most one. A slot is published by writing its message last; null means "not yet".
/// </summary>
internal struct MpscQueue
{
    private const int FirstSegmentSize = 8;
    private const int MaxSegmentSize = 256;

    private Segment? headSegment; // consumer's, but installed once from null by the first producer
    private int headIndex;        // consumer's
    private Segment? tailSegment; // producers'

    public void Enqueue(object message, IActorRef? sender)
    {
        var segment = Volatile.Read(ref tailSegment) ?? CreateFirstSegment();
        while (true)
        {
            var index = Interlocked.Increment(ref segment.Tail) - 1;
            var slots = segment.Slots;
            if ((uint)index < (uint)slots.Length)
            {
                slots[index].Sender = sender;
                Volatile.Write(ref slots[index].Message, message);
                return;
            }

            segment = index == slots.Length ? Grow(segment) : WaitForNext(segment);
        }
    }

    /// <summary>Consumer only.</summary>
    public bool TryDequeue(out Envelope envelope)
    {
        var segment = Volatile.Read(ref headSegment);
        if (segment is null)
        {
            envelope = default;
            return false;
        }

        while (true)
        {
            var index = headIndex;
            var slots = segment.Slots;
            if (index < slots.Length)
            {
                ref var slot = ref slots[index];
                var message = Volatile.Read(ref slot.Message);
                if (message is null)
                {
                    // Only an empty-looking slot needs the producers' counter (a cache line they keep writing):
                    // either nothing was claimed, or a producer is between its increment and its write.
                    if (index >= Volatile.Read(ref segment.Tail))
                    {
                        envelope = default;
                        return false;
                    }

                    var spinner = new SpinWait();
                    do
                    {
                        spinner.SpinOnce(sleep1Threshold: -1);
                        message = Volatile.Read(ref slot.Message);
                    }
                    while (message is null);
                }

                envelope = new Envelope(message, slot.Sender);
                slot = default;
                headIndex = index + 1;
                return true;
            }

            // Segment read to the end: move on if a producer overflowed into a next one.
            if (Volatile.Read(ref segment.Tail) <= slots.Length)
            {
                envelope = default;
                return false;
            }

            segment = WaitForNext(segment);
            headSegment = segment;
            headIndex = 0;
        }
    }

    /// <summary>Consumer only: whether a message is there or being written.</summary>
    public readonly bool HasMessages
    {
        get
        {
            var segment = Volatile.Read(ref Unsafe.AsRef(in headSegment));
            if (segment is null) return false;
            var tail = Volatile.Read(ref segment.Tail);
            return headIndex < tail && (headIndex < segment.Slots.Length || tail > segment.Slots.Length);
        }
    }

    private Segment CreateFirstSegment()
    {
        // The head is set first and only from null, so the consumer never starts past the first segment; the
        // tail follows, and a producer that lost either race uses what the winner installed.
        var fresh = new Segment(FirstSegmentSize);
        var first = Interlocked.CompareExchange(ref headSegment, fresh, null) ?? fresh;
        return Interlocked.CompareExchange(ref tailSegment, first, null) ?? first;
    }

    private Segment Grow(Segment full)
    {
        // Exactly one producer sees index == length and links the next segment; the others wait for it.
        var next = new Segment(Math.Min(full.Slots.Length * 2, MaxSegmentSize));
        Volatile.Write(ref full.Next, next);
        Volatile.Write(ref tailSegment, next);
        return next;
    }

    private static Segment WaitForNext(Segment segment)
    {
        var next = Volatile.Read(ref segment.Next);
        if (next is not null) return next;
        var spinner = new SpinWait();
        while ((next = Volatile.Read(ref segment.Next)) is null)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return next;
    }

    private sealed class Segment(int size)
    {
        public readonly Envelope[] Slots = new Envelope[size];
        public int Tail;
        public Segment? Next;
    }
}

namespace MifActors.Mif.Api.Json;

// Messages of the JSON-lines protocol that an in-process subscriber never sees: the socket is the only place where a
// subscriber can fall behind (an actor's mailbox never drops).

/// <summary>
/// Not in the draft: the subscriber read too slowly and <paramref name="Count"/> messages after this one's place in
/// the stream were dropped (mifactors.mif.api.subscriber-queue bounds what waits for a reader). Everything before it
/// arrived in order; what was lost is unknown, so a subscriber sends its Announce requests again to learn the
/// current state. <paramref name="Message"/> says the same for a person reading the socket.
/// </summary>
public sealed record MessagesLost(long Count, string Message) : IFromMifApi;

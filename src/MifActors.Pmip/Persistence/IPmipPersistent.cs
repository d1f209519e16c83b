namespace MifActors.Pmip.Persistence;

/// <summary>
/// An event or snapshot of an MN actor: what <see cref="PmipSerializer"/> writes, bound to it in <c>hocon/pmip.conf</c>
/// (<c>akka.actor.serialization-bindings</c>), so none ever reaches Akka's default JSON serializer.
/// </summary>
internal interface IPmipPersistent;

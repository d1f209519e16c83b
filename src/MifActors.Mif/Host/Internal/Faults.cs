namespace MifActors.Mif.Host.Internal;

/// <summary>
/// Makes the actor that receives it throw, to prove that supervision keeps the failure local (the tests send it to
/// interface, PvD and resolver actors). With <paramref name="OnNextObservation"/> an interface actor throws while it
/// handles its next observation instead, which loses that observation as a real bug would.
/// </summary>
internal sealed record InjectFault(string Reason, bool OnNextObservation = false);

internal sealed class InjectedFaultException(string reason) : Exception($"fault injected: {reason}");

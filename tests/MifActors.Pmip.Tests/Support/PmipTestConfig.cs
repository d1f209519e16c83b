using Akka.Configuration;

namespace MifActors.Pmip.Tests.Support;

/// <summary>The HOCON scenario tests start from: the seed's policy, and what each kind of test runs on.</summary>
internal static class PmipTestConfig
{
    /// <summary>The policy of the seed topology: www prefers Wi-Fi, voip the cellular network; no FFE renewal unless a test asks.</summary>
    public const string Policy = """
        mifactors.pmip {
          ffe-renew-before = 0s
          lma.application-classes {
            www { ports = [80, 443], access-technologies = [ieee80211, eutran] }
            voip { ports = [5060], access-technologies = [eutran, ieee80211] }
          }
        }
        """;

    /// <summary>
    /// Virtual time (Akka's TestScheduler) and Akka.Persistence.TestKit's in-memory journal and snapshot store, whose
    /// failures a test can inject; a node lists its MNs through <see cref="Testing.MemoryReadJournal"/>.
    /// </summary>
    public const string VirtualTimeInMemory = """
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.persistence {
          journal {
            plugin = "akka.persistence.journal.test"
            test {
              class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
              plugin-dispatcher = "akka.actor.default-dispatcher"
            }
          }
          snapshot-store {
            plugin = "akka.persistence.snapshot-store.test"
            test {
              class = "Akka.Persistence.TestKit.TestSnapshotStore, Akka.Persistence.TestKit"
              plugin-dispatcher = "akka.actor.default-dispatcher"
            }
          }
          query.journal.test {
            class = "MifActors.Testing.MemoryReadJournalProvider, MifActors.Testing"
            write-plugin = "akka.persistence.journal.test"
          }
        }
        mifactors.pmip.persistence {
          journal-plugin = "akka.persistence.journal.test"
          snapshot-plugin = "akka.persistence.snapshot-store.test"
          query-plugin = "akka.persistence.query.journal.test"
        }
        """;

    /// <summary>A scenario's configuration: its overrides (<c>key = value</c> under <c>mifactors.pmip</c>) over the policy and the in-memory set-up.</summary>
    public static Config Scenario(params (string Key, string Value)[] overrides) =>
        ConfigurationFactory.ParseString(string.Join('\n', overrides.Select(o => $"mifactors.pmip.{o.Key} = {o.Value}")))
            .WithFallback(ConfigurationFactory.ParseString(VirtualTimeInMemory))
            .WithFallback(ConfigurationFactory.ParseString(Policy));

    /// <summary>The policy over a real journal (<see cref="PmipConfig.Persistence"/>) and the real scheduler.</summary>
    public static Config Durable(string providerName, string connectionString) =>
        PmipConfig.Persistence(providerName, connectionString).WithFallback(ConfigurationFactory.ParseString(Policy));
}

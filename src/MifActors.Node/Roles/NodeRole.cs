using Akka.Configuration;
using Akka.Hosting;

namespace MifActors.Node.Roles;

/// <summary>
/// Something a node can run, named in <c>mifactors.node.roles</c>.
/// </summary>
/// <param name="Name">The name in <c>mifactors.node.roles</c> (and, later, the Akka.Cluster role).</param>
/// <param name="Defaults">The defaults of the module behind the role; every node falls back to them, so a file may
/// set the module's keys and have them checked even before the role is chosen.</param>
/// <param name="Validate">Reads the module's settings from the node's whole configuration and throws, naming the key,
/// when one is wrong; it runs before the actor system starts, so a bad value stops the node with one line.</param>
/// <param name="Start">The module's Akka.Hosting extension call that starts the role's actors.</param>
public sealed record NodeRole(
    string Name,
    Config Defaults,
    Action<Config> Validate,
    Action<AkkaConfigurationBuilder> Start);

using System.Text;
using Akka.Actor;
using Akka.Configuration;
using MifActors.Mif.Internal;

namespace MifActors.Mif.Api.Socket;

/// <summary>mifactors.mif.api: the JSON-lines socket, read once (hocon/mif.conf has every key, commented).</summary>
/// <param name="Enabled">Whether the socket is served at all.</param>
/// <param name="Path">Where the socket file is created.</param>
/// <param name="Mode">The socket file's permissions.</param>
/// <param name="SubscriberQueue">How many messages may wait for one slow reader before newer ones are dropped.</param>
/// <param name="MaxLineLength">The longest request line accepted, in bytes.</param>
/// <param name="MaxConnections">How many subscribers may be connected at once.</param>
/// <param name="HalfCloseLinger">How long a connection still receives after its client's end of input.</param>
/// <param name="AcceptRetry">How long the server waits before accepting again after the kernel refused an accept.</param>
public sealed record MifApiSocketSettings(
    bool Enabled,
    string Path,
    UnixFileMode Mode,
    int SubscriberQueue,
    int MaxLineLength,
    int MaxConnections,
    TimeSpan HalfCloseLinger,
    TimeSpan AcceptRetry)
{
    // sun_path is 108 bytes on Linux, one of them the terminating zero.
    private const int MaxPathBytes = 107;

    /// <summary>The settings of <paramref name="system"/>, with hocon/mif.conf as its fallback.</summary>
    public static MifApiSocketSettings Get(ActorSystem system)
    {
        system.Settings.InjectTopLevelFallback(MifConfig.Default);
        return From(system.Settings.Config);
    }

    /// <summary>Reads mifactors.mif.api from <paramref name="config"/>, falling back to hocon/mif.conf for missing keys.</summary>
    /// <exception cref="MifConfigurationException">A key has a value the socket cannot use; the message names it.</exception>
    public static MifApiSocketSettings From(Config config)
    {
        var api = new ConfigReader(config.WithFallback(MifConfig.Default).GetConfig("mifactors.mif.api"), "mifactors.mif.api");

        var path = api.String("socket");
        var pathBytes = Encoding.UTF8.GetByteCount(path);
        if (pathBytes is 0 or > MaxPathBytes)
        {
            throw new MifConfigurationException(
                $"{api.Key("socket")}: expected a file path of 1 to {MaxPathBytes} bytes (the kernel's limit for a Unix socket), got \"{path}\" ({pathBytes} bytes)");
        }

        var modeText = api.String("socket-mode");
        if (modeText.Length is 0 or > 4 || modeText.Any(c => c is < '0' or > '7') || Convert.ToInt32(modeText, 8) > 0x1FF)
        {
            throw new MifConfigurationException(
                $"{api.Key("socket-mode")}: expected permissions in octal as chmod takes them (600, 660), got \"{modeText}\"");
        }

        return new MifApiSocketSettings(
            api.Bool("enabled"),
            path,
            (UnixFileMode)Convert.ToInt32(modeText, 8),
            api.Int("subscriber-queue", 1, 1_000_000),
            api.Int("max-line-length", 256, 16 * 1024 * 1024),
            api.Int("max-connections", 1, 100_000),
            api.Duration("half-close-linger", allowZero: true),
            api.Duration("accept-retry"));
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MifActors.Benchmarks.Hocon;

/// <summary>
/// Parses a generated ~5 MB HOCON document (nested objects, path keys, comments, unquoted values,
/// durations, arrays, a few substitutions) and the same tree written as JSON with
/// System.Text.Json, in the same run. The JSON baseline anchors the number: the target is a HOCON
/// throughput of at least 0.3x System.Text.Json's.
/// </summary>
public sealed class HoconParseBenchmark : IBenchmark
{
    public string Name => "hocon.parse";

    public IEnumerable<BenchResult> Run(BenchOptions options)
    {
        var hocon = Generate(targetBytes: 5 * 1024 * 1024);
        var json = MifActors.Hocon.Hocon.ParseToJson(hocon)!.ToJsonString();
        var hoconMegabytes = Encoding.UTF8.GetByteCount(hocon) / (1024.0 * 1024.0);
        var jsonMegabytes = Encoding.UTF8.GetByteCount(json) / (1024.0 * 1024.0);
        var rounds = options.Quick ? 6 : 15;

        var (hoconSeconds, jsonSeconds) = Measure(rounds, () => MifActors.Hocon.Hocon.ParseToJson(hocon), () => JsonNode.Parse(json));
        var hoconRate = hoconMegabytes / hoconSeconds;
        var jsonRate = jsonMegabytes / jsonSeconds;

        yield return new BenchResult("hocon.parse.input", Math.Round(hoconMegabytes, 2), "MB");
        yield return new BenchResult("hocon.parse", Math.Round(hoconRate, 1), "MB/s");
        yield return new BenchResult("json.parse", Math.Round(jsonRate, 1), "MB/s");
        yield return new BenchResult("hocon.parse.ratio", Math.Round(hoconRate / jsonRate, 3), "x System.Text.Json");
    }

    /// <summary>
    /// The best of <paramref name="rounds"/> timed runs of each, after a warm-up. The two alternate
    /// round by round, so load from other processes on a shared machine falls on both alike.
    /// </summary>
    private static (double First, double Second) Measure(int rounds, Func<object?> first, Func<object?> second)
    {
        GC.KeepAlive(first());
        GC.KeepAlive(second());
        double bestFirst = double.MaxValue, bestSecond = double.MaxValue;
        for (var i = 0; i < rounds; i++)
        {
            bestFirst = Math.Min(bestFirst, Time(first));
            bestSecond = Math.Min(bestSecond, Time(second));
        }

        return (bestFirst, bestSecond);
    }

    private static double Time(Func<object?> parse)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var watch = Stopwatch.StartNew();
        GC.KeepAlive(parse());
        return watch.Elapsed.TotalSeconds;
    }

    private static string Generate(int targetBytes)
    {
        var sb = new StringBuilder(targetBytes + 4096);
        sb.Append("# generated benchmark configuration\n");
        sb.Append("defaults { timeout = 5s, retries = 3, tags = [alpha, beta] }\n");
        var i = 0;
        while (sb.Length < targetBytes)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            sb.Append("node-").Append(n).Append(" {\n");
            sb.Append("  // node ").Append(n).Append('\n');
            sb.Append("  name = \"node number ").Append(n).Append("\"\n");
            sb.Append("  enabled = ").Append(i % 2 == 0 ? "true" : "false").Append('\n');
            sb.Append("  address = 10.0.").Append(i % 256).Append('.').Append(i % 250 + 1).Append('\n');
            sb.Append("  port: ").Append(5000 + i % 1000).Append(",\n");
            sb.Append("  weight = ").Append((i % 100) / 10.0 + 0.5).Append('\n');
            sb.Append("  limits.memory = 512 MiB\n");
            sb.Append("  limits.timeout = ").Append(100 + i % 900).Append("ms\n");
            sb.Append("  peers = [").Append(i).Append(", ").Append(i + 1).Append(", ").Append(i + 2).Append("]\n");
            sb.Append("  labels { role = mag, zone = \"zone-").Append(i % 7).Append("\", rack = r").Append(i % 13).Append(" }\n");
            if (i % 50 == 0) sb.Append("  retries = ${defaults.retries}\n");
            sb.Append("}\n");
            i++;
        }

        return sb.ToString();
    }
}

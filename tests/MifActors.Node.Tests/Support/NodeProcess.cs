using System.Collections.Concurrent;
using System.Diagnostics;

namespace MifActors.Node.Tests.Support;

/// <summary>
/// A real node process, started from the built MifActors.Node assembly as a user would start it
/// (<c>dotnet MifActors.Node.dll --config FILE</c>), with its console output collected line by line.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    // Long enough for a loaded 2-core machine; a test that waits this long has failed.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly SemaphoreSlim _outputArrived = new(0);
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorsClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Everything the node wrote to stdout so far (its log).</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>Everything the node wrote to stderr so far.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>
    /// Starts a node. The test runner's own MIFACTORS__ and AKKA__ variables are not passed on; only
    /// <paramref name="environment"/> is, so a test sees exactly the layers it sets.
    /// </summary>
    public static NodeProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var node = typeof(NodeProgram).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(node)!,
        };
        start.ArgumentList.Add(node);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var key in start.Environment.Keys.ToArray())
        {
            if (key.StartsWith("MIFACTORS__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("AKKA__", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(key);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;

        var process = new Process { StartInfo = start };
        var started = new NodeProcess(process);
        process.OutputDataReceived += (_, line) => started.Received(line.Data, started._output, started._outputClosed);
        process.ErrorDataReceived += (_, line) => started.Received(line.Data, started._errors, started._errorsClosed);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Waits until a line of the node's log contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            if (_outputClosed.Task.IsCompleted)
                throw new InvalidOperationException($"the node exited before logging \"{text}\"; stderr: {string.Join(" | ", _errors)}; stdout: {string.Join(" | ", _output)}");
            await _outputArrived.WaitAsync(timeout.Token);
        }
    }

    /// <summary>Sends SIGTERM, as systemd or <c>kill</c> would.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed with exit code {kill.ExitCode}");
    }

    /// <summary>Waits for the process to exit and for all its output; returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(timeout.Token);
        await Task.WhenAll(_outputClosed.Task, _errorsClosed.Task).WaitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
        _outputArrived.Dispose();
    }

    private void Received(string? line, ConcurrentQueue<string> into, TaskCompletionSource closed)
    {
        if (line is null)
            closed.TrySetResult();
        else
            into.Enqueue(line);
        _outputArrived.Release();
    }
}

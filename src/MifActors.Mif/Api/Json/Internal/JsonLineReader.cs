using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace MifActors.Mif.Api.Json.Internal;

/// <summary>One line read from a JSON-lines stream: its number on the stream (from 1), and its bytes without the newline.</summary>
/// <param name="Number">The line's number on this stream, counting from 1.</param>
/// <param name="Utf8">The line without its newline (and without a trailing carriage return); empty when it was too long.</param>
/// <param name="TooLong">The line was longer than the limit; its bytes were skipped up to the next newline.</param>
internal readonly record struct JsonLine(long Number, byte[] Utf8, bool TooLong);

/// <summary>Splits a stream into lines, holding at most one line (of bounded length) in memory.</summary>
internal static class JsonLineReader
{
    public static async IAsyncEnumerable<JsonLine> ReadAsync(
        Stream stream, int maxLineLength, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var lines = new List<JsonLine>();
        long number = 0;
        // Inside a line that was too long: its bytes up to the next newline are thrown away unread.
        var skipping = false;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } newline)
                {
                    var line = buffer.Slice(0, newline);
                    buffer = buffer.Slice(buffer.GetPosition(1, newline));
                    if (skipping)
                    {
                        skipping = false;
                        continue;
                    }
                    lines.Add(Line(++number, line, maxLineLength));
                }
                if (!skipping && buffer.Length > maxLineLength)
                {
                    lines.Add(new JsonLine(++number, [], TooLong: true));
                    skipping = true;
                }
                if (skipping)
                    buffer = buffer.Slice(buffer.End);
                if (result.IsCompleted && !buffer.IsEmpty)
                {
                    // The last line had no newline: the writer closed right after it.
                    lines.Add(Line(++number, buffer, maxLineLength));
                    buffer = buffer.Slice(buffer.End);
                }
                reader.AdvanceTo(buffer.Start, buffer.End);

                foreach (var line in lines)
                    yield return line;
                lines.Clear();
                if (result.IsCompleted)
                    yield break;
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static JsonLine Line(long number, ReadOnlySequence<byte> line, int maxLineLength)
    {
        if (line.Length > 0 && line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r')
            line = line.Slice(0, line.Length - 1);
        return line.Length > maxLineLength
            ? new JsonLine(number, [], TooLong: true)
            : new JsonLine(number, line.ToArray(), TooLong: false);
    }
}

namespace MifActors.Actors.Internal;

/// <summary>Restarts of one child, for the retry window of its supervisor's strategy.</summary>
internal sealed class ChildRestartStats
{
    private int restartCount;
    private DateTimeOffset windowStart;

    public bool RequestRestartPermission(int maxNrOfRetries, TimeSpan withinTimeRange, DateTimeOffset now)
    {
        if (maxNrOfRetries < 0) return true;
        if (maxNrOfRetries == 0) return false;
        var windowed = withinTimeRange > TimeSpan.Zero && withinTimeRange != Timeout.InfiniteTimeSpan;
        if (!windowed)
        {
            restartCount++;
            return restartCount <= maxNrOfRetries;
        }

        if (restartCount == 0 || now - windowStart > withinTimeRange)
        {
            // A new window opens with this restart.
            windowStart = now;
            restartCount = 1;
            return true;
        }

        restartCount++;
        return restartCount <= maxNrOfRetries;
    }
}

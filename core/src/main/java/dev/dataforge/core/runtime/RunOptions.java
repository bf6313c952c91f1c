package dev.dataforge.core.runtime;

import java.time.Duration;

/**
 * How long a run goes on, set from the command line.
 *
 * @param maxEvents    stop after this many source records; 0 = no limit.
 * @param duration     stop after this long; null = no limit.
 * @param drainTimeout how long a stop waits for the ring to drain into the sink before it gives up.
 */
public record RunOptions(long maxEvents, Duration duration, Duration drainTimeout)
{
    public static RunOptions unbounded()
    {
        return new RunOptions(0, null, Duration.ofSeconds(60));
    }

    public RunOptions withMaxEvents(final long n)
    {
        return new RunOptions(n, duration, drainTimeout);
    }

    public RunOptions withDuration(final Duration d)
    {
        return new RunOptions(maxEvents, d, drainTimeout);
    }
}

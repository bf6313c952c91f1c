package dev.dataforge.core.runtime;

import java.time.Duration;

/**
 * How long a run goes on, set from the command line.
 *
 * @param maxEvents    stop after this many source records; 0 = no limit.
 * @param duration     stop after this long; null = no limit.
 * @param idleExit     stop when no source record has arrived for this long; null = never.
 * @param drainTimeout how long a stop waits for the ring to drain into the sink before it gives up.
 */
public record RunOptions(long maxEvents, Duration duration, Duration idleExit, Duration drainTimeout)
{
    public static RunOptions unbounded()
    {
        return new RunOptions(0, null, null, Duration.ofSeconds(60));
    }

    public RunOptions withMaxEvents(final long n)
    {
        return new RunOptions(n, duration, idleExit, drainTimeout);
    }

    public RunOptions withDuration(final Duration d)
    {
        return new RunOptions(maxEvents, d, idleExit, drainTimeout);
    }

    /** Stops the run once no source record has arrived for {@code d} (after the first, or from the start). */
    public RunOptions withIdleExit(final Duration d)
    {
        return new RunOptions(maxEvents, duration, d, drainTimeout);
    }
}

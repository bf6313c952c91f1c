package dev.dataforge.tuning;

import java.util.concurrent.locks.LockSupport;

/**
 * Parks for a fixed time between checks: almost no CPU, latency of the park time (about 50 to 100 us on Linux).
 */
public final class SleepWaitStrategy extends StageWaitStrategy
{
    private final long parkNanos;

    public SleepWaitStrategy(final long parkNanos, final long timeoutNanos)
    {
        super(timeoutNanos);
        this.parkNanos = parkNanos;
    }

    @Override
    protected void idle(final int count)
    {
        LockSupport.parkNanos(parkNanos);
    }

    @Override
    public String name()
    {
        return "sleep";
    }
}

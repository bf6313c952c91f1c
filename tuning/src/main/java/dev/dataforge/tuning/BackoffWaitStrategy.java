package dev.dataforge.tuning;

import java.util.concurrent.locks.LockSupport;

/**
 * The default: spin briefly, then yield, then park for a growing time up to {@code maxParkNanos}. Latency stays in
 * microseconds while events flow, and an idle stage costs almost no CPU, so it is right on a 2-core host where
 * busy-spinning threads would starve each other.
 */
public final class BackoffWaitStrategy extends StageWaitStrategy
{
    public static final int SPINS = Integer.getInteger("dataforge.backoff.spins", 1000);
    public static final int YIELDS = Integer.getInteger("dataforge.backoff.yields", 0);
    public static final long MIN_PARK_NANOS = 1_000;

    private final long maxParkNanos;
    private final int spins;

    public BackoffWaitStrategy(final long maxParkNanos, final long timeoutNanos)
    {
        this(SPINS, maxParkNanos, timeoutNanos);
    }

    /** @param spins how many checks spin before the first yield or park. */
    public BackoffWaitStrategy(final int spins, final long maxParkNanos, final long timeoutNanos)
    {
        super(timeoutNanos);
        this.spins = spins;
        this.maxParkNanos = Math.max(MIN_PARK_NANOS, maxParkNanos);
    }

    @Override
    protected void idle(final int count)
    {
        if (count < spins)
        {
            Thread.onSpinWait();
        }
        else if (count < spins + YIELDS)
        {
            Thread.yield();
        }
        else
        {
            final int shift = Math.min(count - spins - YIELDS, 20);
            LockSupport.parkNanos(Math.min(maxParkNanos, MIN_PARK_NANOS << shift));
        }
    }

    @Override
    public String name()
    {
        return "backoff";
    }
}

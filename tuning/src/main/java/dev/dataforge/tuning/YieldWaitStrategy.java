package dev.dataforge.tuning;

/**
 * Spins a little, then yields the core on every check: low latency, and it gives way to other runnable threads.
 */
public final class YieldWaitStrategy extends StageWaitStrategy
{
    private static final int SPINS = 100;

    public YieldWaitStrategy(final long timeoutNanos)
    {
        super(timeoutNanos);
    }

    @Override
    protected void idle(final int count)
    {
        if (count < SPINS)
        {
            Thread.onSpinWait();
        }
        else
        {
            Thread.yield();
        }
    }

    @Override
    public String name()
    {
        return "yield";
    }
}

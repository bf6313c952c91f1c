package dev.dataforge.tuning;

/**
 * Spins on the sequence: lowest latency, one full core per stage. Only for a pinned thread on an isolated core.
 */
public final class BusySpinWaitStrategy extends StageWaitStrategy
{
    public BusySpinWaitStrategy(final long timeoutNanos)
    {
        super(timeoutNanos);
    }

    @Override
    protected void idle(final int count)
    {
        Thread.onSpinWait();
    }

    @Override
    public String name()
    {
        return "busy-spin";
    }
}

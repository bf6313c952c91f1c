package dev.dataforge.tuning;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;

/**
 * Base of the per-stage wait strategies: waits until {@code dependentSequence} reaches {@code sequence}, calling
 * {@link #idle(int)} between checks, and throws {@link TimeoutException} once {@code timeoutNanos} pass without
 * progress so that a stage can flush on time ({@code EventHandler.onTimeout}).
 * <p>
 * These strategies never need a signal from the producer (except {@link BlockWaitStrategy}, which is woken by
 * {@link RingSignal}), so each stage of one ring can have its own.
 */
public abstract class StageWaitStrategy implements WaitStrategy
{
    private final long timeoutNanos;

    protected StageWaitStrategy(final long timeoutNanos)
    {
        this.timeoutNanos = timeoutNanos <= 0 ? Long.MAX_VALUE : timeoutNanos;
    }

    @Override
    public long waitFor(
        final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException, InterruptedException, TimeoutException
    {
        long available = dependentSequence.get();
        if (available >= sequence)
        {
            return available;
        }
        final long deadline = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        int idleCount = 0;
        while ((available = dependentSequence.get()) < sequence)
        {
            barrier.checkAlert();
            idle(idleCount++);
            if (deadline != Long.MAX_VALUE && (idleCount & 0x3F) == 0 && System.nanoTime() - deadline > 0)
            {
                throw TimeoutException.INSTANCE;
            }
        }
        return available;
    }

    /** Waits a little; {@code count} is how many times it was called in this wait. */
    protected abstract void idle(int count) throws InterruptedException;

    /**
     * Waits a little outside a ring barrier, as a thread does between polls that found nothing (the source loop);
     * {@code count} is how many times in a row it found nothing.
     */
    public final void pause(final int count) throws InterruptedException
    {
        idle(count);
    }

    @Override
    public void signalAllWhenBlocking()
    {
    }

    /** @return the configured name, as config and metrics show it. */
    public abstract String name();
}

package dev.dataforge.tuning;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;

import java.util.function.BooleanSupplier;

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

    /**
     * How many idle calls the current wait has made, carried over a timeout: a stage that times out to flush and
     * then waits again is still idle, and must not start spinning again from the beginning (on a 2-core host that
     * was most of an idle pipeline's CPU). Progress resets it. One thread uses a strategy.
     */
    private int carried;
    /** What the current wait waits for, for a strategy to look again just before it sleeps ({@link #arrived()}). */
    private Sequence waitingOn;
    private long waitingFor;
    /** Whether the stage has anything its timeout would do; null: always. Read on the stage's own thread. */
    private BooleanSupplier timeoutWanted;

    @Override
    public long waitFor(
        final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException, InterruptedException, TimeoutException
    {
        long available = dependentSequence.get();
        if (available >= sequence)
        {
            carried = 0;
            return available;
        }
        waitingOn = dependentSequence;
        waitingFor = sequence;
        final long deadline = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        final int checkEvery = clockCheckFrom();
        int idleCount = carried;
        int calls = 0;
        while ((available = dependentSequence.get()) < sequence)
        {
            barrier.checkAlert();
            long left = Long.MAX_VALUE;
            if (deadline != Long.MAX_VALUE && (idleCount >= checkEvery || (calls & 0x3F) == 0x3F) &&
                (timeoutWanted == null || timeoutWanted.getAsBoolean()))
            {
                left = deadline - System.nanoTime();
                if (left <= 0)
                {
                    carried = idleCount;
                    throw TimeoutException.INSTANCE;
                }
            }
            idle(idleCount, left);
            idleCount = idleCount == Integer.MAX_VALUE ? idleCount : idleCount + 1;
            calls++;
        }
        carried = 0;
        return available;
    }

    /**
     * @return the idle count from which each call may take long (a park), so that the wait checks its deadline after
     * every call from there on rather than every 64th.
     */
    protected int clockCheckFrom()
    {
        return Integer.MAX_VALUE;
    }

    /** Waits a little; {@code count} is how many times it was called in this wait. */
    protected abstract void idle(int count) throws InterruptedException;

    /**
     * Waits a little, at most about {@code nanosLeft} (the time to the wait's deadline; {@code Long.MAX_VALUE} when
     * there is none or it was not read).
     */
    protected void idle(final int count, final long nanosLeft) throws InterruptedException
    {
        idle(count);
    }

    /**
     * Times out only while {@code wanted} says the stage has something its timeout would do (a batch lingering, a
     * checkpoint to write): an idle stage with nothing to flush then sleeps as long as its strategy lets it instead
     * of waking at every timeout. {@code wanted} is called on the stage's own thread, between its idle calls.
     */
    public void timeoutOnlyWhen(final BooleanSupplier wanted)
    {
        this.timeoutWanted = wanted;
    }

    /** @return whether what the current wait waits for is there now (false outside a ring wait). */
    protected final boolean arrived()
    {
        final Sequence on = waitingOn;
        return on != null && on.get() >= waitingFor;
    }

    /**
     * Waits a little between polls of a source that found nothing; nothing signals a source, so a strategy that
     * sleeps until signalled must not sleep long here. The default is {@link #idle(int)}.
     */
    protected void pauseIdle(final int count) throws InterruptedException
    {
        idle(count);
    }

    /** @return whether the ring's producer must call {@link #signalAllWhenBlocking()} when it publishes. */
    public boolean wakesOnPublish()
    {
        return false;
    }

    /**
     * Waits a little outside a ring barrier, as a thread does between polls that found nothing (the source loop);
     * {@code count} is how many times in a row it found nothing.
     */
    public final void pause(final int count) throws InterruptedException
    {
        pauseIdle(count);
    }

    @Override
    public void signalAllWhenBlocking()
    {
    }

    /** @return the configured name, as config and metrics show it. */
    public abstract String name();
}

package dev.dataforge.tuning;

import java.util.concurrent.locks.LockSupport;

/**
 * The default: spin briefly, then yield, then park for a growing time up to {@code maxParkNanos} (100 us); a stage
 * idle for longer ({@link #LONG_IDLE_PARKS} parks at the longest, about 10 ms) parks up to {@link #IDLE_PARK_NANOS}
 * (10 ms) and is unparked by the ring's producer when it publishes ({@link RingSignal}), after which the ramp starts
 * over (a stage behind another stage is woken by the publish before its own input is there).
 *
 * <p>Why: a park costs this project's 2-core VM 30 to 60 us of CPU (measured: 100 us parks take 15% of a core,
 * 1 ms parks 3.2%, 10 ms parks 0.6%), and an idle Kafka pipeline took 15% of a core when its stages parked 100 us
 * at the longest and spun again at every flush timeout. Latency stays in microseconds while events flow, the first
 * event after a quiet spell wakes its stage at once, and an idle stage costs almost no CPU, so it is right on a
 * small host where busy-spinning threads would starve each other and the broker. A wait with a deadline (a sink's
 * flush) never parks past it. The producer publishes with a release store and reads {@link #sleeper} without a
 * fence (a fence per publish would cost the hot path), so a publish racing the stage's last look at its input can
 * go unnoticed: the stage then wakes at the end of its park, 10 ms at most, which is why the long park is not
 * longer. Between a source's empty polls ({@link #pauseIdle}) nothing signals, so there it parks 100 us at most.
 */
public final class BackoffWaitStrategy extends StageWaitStrategy
{
    public static final int SPINS = Integer.getInteger("dataforge.backoff.spins", 1000);
    public static final int YIELDS = Integer.getInteger("dataforge.backoff.yields", 0);
    public static final long MIN_PARK_NANOS = 1_000;
    /** Parks at {@code maxParkNanos} before an idle stage parks longer. */
    public static final int LONG_IDLE_PARKS = Integer.getInteger("dataforge.backoff.long.idle.parks", 100);
    /** Longest park of a stage idle for a while (the producer's publish ends it sooner). */
    public static final long IDLE_PARK_NANOS = Long.getLong("dataforge.backoff.idle.park.us", 10_000) * 1_000;

    private final long maxParkNanos;
    private final long idleParkNanos;
    private final int spins;
    /** The thread while it parks long, for the producer to unpark; null otherwise. */
    private volatile Thread sleeper;
    /** Set by a publish that unparked the sleeper: the next idle call starts the ramp over. */
    private volatile boolean woken;
    /** The idle count at which the ramp last started over. */
    private int rampStart;

    public BackoffWaitStrategy(final long maxParkNanos, final long timeoutNanos)
    {
        this(SPINS, maxParkNanos, timeoutNanos);
    }

    /** @param spins how many checks spin before the first yield or park. */
    public BackoffWaitStrategy(final int spins, final long maxParkNanos, final long timeoutNanos)
    {
        this(spins, maxParkNanos, IDLE_PARK_NANOS, timeoutNanos);
    }

    /** @param idleParkNanos the longest park once idle for a while. */
    BackoffWaitStrategy(final int spins, final long maxParkNanos, final long idleParkNanos, final long timeoutNanos)
    {
        super(timeoutNanos);
        this.spins = spins;
        this.maxParkNanos = Math.max(MIN_PARK_NANOS, maxParkNanos);
        this.idleParkNanos = Math.max(this.maxParkNanos, idleParkNanos);
    }

    /** @return whether the stage is parked long (idle for a while), waiting for a publish. */
    boolean sleeping()
    {
        return sleeper != null;
    }

    @Override
    protected void idle(final int count)
    {
        idle(count, Long.MAX_VALUE);
    }

    @Override
    protected void idle(final int count, final long nanosLeft)
    {
        if (count < rampStart)
        {
            rampStart = 0; // a new wait: its count starts at 0
        }
        if (woken)
        {
            woken = false;
            rampStart = count;
        }
        final int local = count - rampStart;
        if (local < spins)
        {
            Thread.onSpinWait();
        }
        else if (local < spins + YIELDS)
        {
            Thread.yield();
        }
        else
        {
            final int parks = local - spins - YIELDS;
            if (parks > LONG_IDLE_PARKS + 20)
            {
                sleeper = Thread.currentThread();
                if (!woken && !arrived()) // a publish since the last look at the input must not be slept through
                {
                    LockSupport.parkNanos(this, Math.min(nanosLeft, idleParkNanos));
                }
                sleeper = null;
            }
            else
            {
                LockSupport.parkNanos(Math.min(nanosLeft, rampPark(parks)));
            }
        }
    }

    /** @return the park after {@code parks} parks in a row: 1 us, doubling, up to {@code maxParkNanos}. */
    private long rampPark(final int parks)
    {
        return Math.min(maxParkNanos, MIN_PARK_NANOS << Math.min(parks, 20));
    }

    @Override
    protected void pauseIdle(final int count)
    {
        final int parks = count - spins - YIELDS;
        if (parks < 0)
        {
            idle(count, Long.MAX_VALUE);
        }
        else
        {
            LockSupport.parkNanos(rampPark(parks));
        }
    }

    /** The producer published: a stage parked long wakes now. */
    @Override
    public void signalAllWhenBlocking()
    {
        final Thread t = sleeper;
        if (t != null)
        {
            woken = true;
            LockSupport.unpark(t);
        }
    }

    @Override
    public boolean wakesOnPublish()
    {
        return true;
    }

    @Override
    protected int clockCheckFrom()
    {
        return spins + YIELDS;
    }

    @Override
    public String name()
    {
        return "backoff";
    }
}

package dev.dataforge.core.runtime;

import dev.dataforge.core.spi.Source;

import java.util.concurrent.locks.LockSupport;

/**
 * The source stage's thread: polls the source into the ring until the source ends, the event limit or the deadline
 * is reached, or a stop is asked for. When the source has nothing (or the ring is full) it backs off: spin, yield,
 * then park up to 100 us.
 */
final class SourceLoop implements Runnable
{
    private static final int MAX_POLL = 1024;

    private final Source source;
    private final RingPublisher publisher;
    private final long maxEvents;
    private final long deadlineNanos;
    private final long idleExitNanos;
    private final Pipeline pipeline;
    private volatile String endReason = "running";

    SourceLoop(
        final Source source, final RingPublisher publisher, final long maxEvents, final long deadlineNanos,
        final long idleExitNanos, final Pipeline pipeline)
    {
        this.idleExitNanos = idleExitNanos;
        this.source = source;
        this.publisher = publisher;
        this.maxEvents = maxEvents <= 0 ? Long.MAX_VALUE : maxEvents;
        this.deadlineNanos = deadlineNanos;
        this.pipeline = pipeline;
    }

    @Override
    public void run()
    {
        long published = 0;
        int idle = 0;
        long lastRecordNanos = System.nanoTime();
        try
        {
            while (true)
            {
                if (pipeline.stopRequested())
                {
                    endReason = "stopped";
                    break;
                }
                if (published >= maxEvents)
                {
                    endReason = "event limit reached";
                    break;
                }
                final long now = System.nanoTime();
                if (deadlineNanos != 0 && now - deadlineNanos >= 0)
                {
                    endReason = "duration reached";
                    break;
                }
                publisher.pollStarted(now);
                final long backpressureBefore = publisher.backpressureCount();
                final int n = source.poll(publisher, (int)Math.min(MAX_POLL, maxEvents - published));
                if (publisher.backpressureCount() != backpressureBefore)
                {
                    lastRecordNanos = now; // a full ring is not an idle source
                }
                if (n == Source.END)
                {
                    endReason = "source ended";
                    break;
                }
                if (n > 0)
                {
                    published += n;
                    idle = 0;
                    lastRecordNanos = now;
                }
                else if (idleExitNanos > 0 && now - lastRecordNanos >= idleExitNanos)
                {
                    endReason = "idle for " + java.time.Duration.ofNanos(idleExitNanos);
                    break;
                }
                else
                {
                    idle(idle++);
                }
            }
        }
        catch (final Throwable t)
        {
            endReason = "source failed";
            pipeline.fail("source", t);
        }
    }

    private static final int SPINS = Integer.getInteger("dataforge.source.spins", 100);
    private static final int YIELDS = Integer.getInteger("dataforge.source.yields", 0);

    private static void idle(final int count)
    {
        if (count < SPINS)
        {
            Thread.onSpinWait();
        }
        else if (count < SPINS + YIELDS)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(Math.min(100_000, 1000L << Math.min(count - SPINS - YIELDS, 7)));
        }
    }

    String endReason()
    {
        return endReason;
    }
}

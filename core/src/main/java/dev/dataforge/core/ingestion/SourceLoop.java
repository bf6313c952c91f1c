package dev.dataforge.core.ingestion;

import dev.dataforge.api.source.Source;
import dev.dataforge.tuning.StageWaitStrategy;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The source stage's thread: polls the source into the ring until the source ends, the event limit or the deadline
 * is reached, or a stop is asked for. When the source has nothing (or the ring is full) it waits with its stage's
 * wait strategy ({@code runtime.stages.source.wait}; by default spin briefly, then park up to 100 us).
 */
public final class SourceLoop implements Runnable
{
    /** What the loop asks of the pipeline that runs it. */
    public interface Control
    {
        /** @return true once the pipeline is stopping (asked to, or a stage failed). */
        boolean stopRequested();

        /** Reports that {@code stage} failed: the pipeline stops. */
        void fail(String stage, Throwable failure);

        /** @return true once a stage has failed. */
        boolean failed();
    }

    private static final int MAX_POLL = 1024;

    private final Source source;
    private final RingPublisher publisher;
    private final long maxEvents;
    private final long deadlineNanos;
    private final long idleExitNanos;
    private final StageWaitStrategy wait;
    private final Control control;
    private final Supplier<Map<Integer, Long>> committed;
    private long hintNanos;
    private boolean everAssigned;
    private volatile String endReason = "running";

    /**
     * @param idleExitNanos ends the run once the source, holding partitions, has had nothing for this long; 0 never.
     * @param committed     the positions the sink has committed, handed to the source about once a second as a lag
     *                      hint ({@link Source#committed}); null when the sink commits them itself.
     */
    public SourceLoop(
        final Source source, final RingPublisher publisher, final long maxEvents, final long deadlineNanos,
        final long idleExitNanos, final StageWaitStrategy wait, final Control control,
        final Supplier<Map<Integer, Long>> committed)
    {
        this.committed = committed;
        this.idleExitNanos = idleExitNanos;
        this.source = source;
        this.publisher = publisher;
        this.maxEvents = maxEvents <= 0 ? Long.MAX_VALUE : maxEvents;
        this.deadlineNanos = deadlineNanos;
        this.wait = wait;
        this.control = control;
    }

    @Override
    public void run()
    {
        long published = 0;
        int idle = 0;
        long lastEventNanos = System.nanoTime();
        try
        {
            while (true)
            {
                if (control.stopRequested())
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
                publisher.flush();
                if (publisher.backpressureCount() != backpressureBefore)
                {
                    lastEventNanos = now; // a full ring is not an idle source
                }
                if (n == Source.END)
                {
                    endReason = "source ended";
                    break;
                }
                if (committed != null && now - hintNanos > HINT_EVERY_NANOS)
                {
                    hint();
                    hintNanos = now;
                }
                if (!source.assigned())
                {
                    lastEventNanos = now; // the idle clock runs only while the source holds partitions
                }
                else
                {
                    everAssigned = true;
                }
                if (n > 0)
                {
                    published += n;
                    idle = 0;
                    lastEventNanos = now;
                }
                else if (idleExitNanos > 0 && now - lastEventNanos >= idleExitNanos)
                {
                    endReason = "idle for " + Duration.ofNanos(idleExitNanos);
                    break;
                }
                else
                {
                    wait.pause(idle++);
                }
            }
        }
        catch (final Throwable t)
        {
            endReason = "source failed";
            control.fail("source", t);
        }
        finally
        {
            publisher.flush(); // what was published before an end or a failure is in the ring, to be drained
        }
    }

    private static final long HINT_EVERY_NANOS = 1_000_000_000L;

    /**
     * Hands the source the positions committed so far, every time: the source commits what its group does not have
     * yet (a hint it could not commit, in a rebalance, or for a partition it did not own then, is sent again).
     */
    private void hint()
    {
        source.committed(committed.get());
    }

    public String endReason()
    {
        return everAssigned ? endReason : endReason + " (the source was never assigned a partition)";
    }

    /** @return true once the source has held partitions. */
    public boolean everAssigned()
    {
        return everAssigned;
    }
}

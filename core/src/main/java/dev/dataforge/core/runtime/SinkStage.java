package dev.dataforge.core.runtime;

import com.lmax.disruptor.EventHandler;
import dev.dataforge.core.config.BatchConfig;
import dev.dataforge.core.metrics.Counter;
import dev.dataforge.core.metrics.LatencyRecorder;
import dev.dataforge.core.metrics.StageMetrics;
import dev.dataforge.core.spi.Sink;
import org.agrona.DirectBuffer;

/**
 * The sink stage, gated on every stage before it. It appends passing events to the sink and commits a batch when it
 * holds {@code max_rows} rows or {@code max_bytes} bytes, and at the end of each ring batch once the oldest row has
 * waited {@code linger} (0: at every end of batch, so batches grow by themselves under load). An idle stage commits
 * what lingers on its wait timeout. Dead letters go to the dead-letter queue, flushed before each commit.
 * <p>
 * End-to-end latency, source poll to sink commit, is recorded for every delivered event at its commit.
 */
final class SinkStage implements EventHandler<EventSlot>
{
    private final Sink sink;
    private final DeadLetterQueue deadLetters;
    private final DirectBuffer memory;
    private final StageMetrics metrics;
    private final LatencyRecorder endToEnd;
    private final Counter commits;
    private final int maxRows;
    private final long maxBytes;
    private final long lingerNanos;
    private final long[] pendingPollNanos;
    private int pending;
    private long pendingBytes;
    private long firstPendingNanos;
    private int pendingDeadLetters;
    private long batchStartNanos;
    private long batchEvents;

    SinkStage(
        final Sink sink,
        final DeadLetterQueue deadLetters,
        final DirectBuffer memory,
        final BatchConfig batch,
        final StageMetrics metrics,
        final LatencyRecorder endToEnd,
        final Counter commits)
    {
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.memory = memory;
        this.metrics = metrics;
        this.endToEnd = endToEnd;
        this.commits = commits;
        this.maxRows = batch.maxRows();
        this.maxBytes = batch.maxBytes();
        this.lingerNanos = batch.linger().toNanos();
        this.pendingPollNanos = new long[maxRows];
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        batchStartNanos = System.nanoTime();
        batchEvents = batchSize;
    }

    @Override
    public void onEvent(final EventSlot slot, final long sequence, final boolean endOfBatch) throws Exception
    {
        metrics.in().increment();
        switch (slot.status)
        {
            case EventSlot.PASS:
                if (pending == 0)
                {
                    firstPendingNanos = System.nanoTime();
                }
                sink.append(memory, slot.base());
                pendingPollNanos[pending++] = slot.pollNanos;
                pendingBytes += slot.length;
                if (pending >= maxRows || pendingBytes >= maxBytes)
                {
                    commit();
                }
                break;
            case EventSlot.DEAD_LETTER:
                deadLetters.write(slot, memory);
                pendingDeadLetters++;
                break;
            default:
                metrics.filtered().increment();
                break;
        }
        if (endOfBatch)
        {
            if (batchEvents > 0)
            {
                metrics.latency().record((System.nanoTime() - batchStartNanos) / batchEvents, batchEvents);
                batchEvents = 0;
            }
            if (pending > 0 && (lingerNanos == 0 || System.nanoTime() - firstPendingNanos >= lingerNanos))
            {
                commit();
            }
            else if (pending == 0 && pendingDeadLetters > 0)
            {
                flushDeadLetters();
            }
        }
    }

    @Override
    public void onTimeout(final long sequence) throws Exception
    {
        if (pending > 0 && System.nanoTime() - firstPendingNanos >= lingerNanos)
        {
            commit();
        }
        else if (pendingDeadLetters > 0)
        {
            flushDeadLetters();
        }
    }

    /** Commits what is pending; called on the stage's thread, and once more when it shuts down. */
    void commit() throws Exception
    {
        flushDeadLetters();
        if (pending == 0)
        {
            return;
        }
        sink.commit();
        final long now = System.nanoTime();
        commits.increment();
        metrics.out().add(pending);
        // consecutive events of one poll share a poll time: record each run once, with its count
        long runStart = pendingPollNanos[0];
        int runLength = 1;
        for (int i = 1; i < pending; i++)
        {
            final long t = pendingPollNanos[i];
            if (t == runStart)
            {
                runLength++;
            }
            else
            {
                endToEnd.record(now - runStart, runLength);
                runStart = t;
                runLength = 1;
            }
        }
        endToEnd.record(now - runStart, runLength);
        pending = 0;
        pendingBytes = 0;
    }

    private void flushDeadLetters() throws Exception
    {
        if (pendingDeadLetters > 0)
        {
            deadLetters.flush();
            metrics.deadLettered().add(pendingDeadLetters);
            pendingDeadLetters = 0;
        }
    }

    /** @return rows appended but not yet committed. */
    int pending()
    {
        return pending;
    }
}

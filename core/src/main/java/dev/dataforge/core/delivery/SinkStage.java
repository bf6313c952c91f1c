package dev.dataforge.core.delivery;

import com.lmax.disruptor.EventHandler;
import dev.dataforge.api.deadletter.DeadLetter;
import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.core.config.BatchConfig;
import dev.dataforge.core.config.RetryConfig;
import dev.dataforge.core.metrics.EventMetrics;
import dev.dataforge.core.metrics.PipelineMetrics;
import dev.dataforge.core.ring.EventSlot;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The sink stage, gated on every stage before it. It appends passing events to the sink and commits a batch when it
 * holds {@code max_events} events or {@code max_bytes} bytes, and at the end of each ring batch once the oldest
 * event has waited {@code linger} (0: at every end of batch, so batches grow by themselves under load). An idle stage commits
 * what lingers on its wait timeout. Dead letters go to the dead-letter queue, flushed before each commit.
 * <p>
 * Each commit carries a checkpoint per source partition the batch advanced: the last settled offset, counting
 * filtered and dead-lettered events too, so recovery never revisits them.
 * <p>
 * For a {@link Sink#recoverable() recoverable} sink the stage keeps a copy of each pending event. A transient failure
 * retries the whole batch with exponential backoff and jitter; a rejected event splits the batch in halves until
 * the rejected events are alone, dead-letters them with the destination's message and commits the rest. Anything else
 * stops the pipeline.
 * <p>
 * End-to-end latency, source poll to sink commit, is recorded for every delivered event at its commit.
 */
public final class SinkStage implements EventHandler<EventSlot>
{
    private final Sink sink;
    private final DeadLetters deadLetters;
    private final DirectBuffer memory;
    private final EventMetrics metrics;
    private final PipelineMetrics pipelineMetrics;
    private final String pipeline;
    private final String sourceName;
    private final RetryConfig retry;
    private final int maxEvents;
    private final long maxBytes;
    private final long lingerNanos;
    private final long[] pendingPollNanos;
    private final PendingEvents rows;
    private final SplittableRandom jitter = new SplittableRandom();
    private long[] lastOffsets = new long[16];
    private boolean[] advanced = new boolean[16];
    private int pending;
    private long pendingBytes;
    private long firstPendingNanos;
    private int pendingDeadLetters;
    private long batchStartNanos;
    private long batchEvents;

    public SinkStage(
        final Sink sink,
        final DeadLetters deadLetters,
        final DirectBuffer memory,
        final int recordLength,
        final BatchConfig batch,
        final RetryConfig retry,
        final PipelineMetrics pipelineMetrics,
        final String sourceName)
    {
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.memory = memory;
        this.metrics = pipelineMetrics.stage(PipelineMetrics.SINK);
        this.pipelineMetrics = pipelineMetrics;
        this.pipeline = pipelineMetrics.pipeline();
        this.sourceName = sourceName;
        this.retry = retry;
        this.maxEvents = batch.maxEvents();
        this.maxBytes = batch.maxBytes();
        this.lingerNanos = batch.linger().toNanos();
        this.pendingPollNanos = new long[maxEvents];
        this.rows = sink.recoverable() ? new PendingEvents(maxEvents, recordLength) : null;
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
        settled(slot.partition(), slot.sourceOffset());
        switch (slot.status())
        {
            case EventSlot.PASS:
                if (pending == 0)
                {
                    firstPendingNanos = System.nanoTime();
                }
                if (rows != null)
                {
                    rows.add(memory, slot.base(), slot.length(), slot.partition(), slot.sourceOffset());
                }
                pendingPollNanos[pending++] = slot.pollNanos();
                pendingBytes += slot.length();
                try
                {
                    sink.append(memory, slot.base());
                }
                catch (final Exception e)
                {
                    appendFailed(e);
                    break;
                }
                if (pending >= maxEvents || pendingBytes >= maxBytes)
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
            else if (pending == 0 && (pendingDeadLetters > 0 || lingerNanos == 0 && anyAdvanced()))
            {
                commit();
            }
        }
    }

    @Override
    public void onTimeout(final long sequence) throws Exception
    {
        if (pending > 0 && System.nanoTime() - firstPendingNanos >= lingerNanos || pending == 0 && anyAdvanced())
        {
            commit();
        }
        else if (pendingDeadLetters > 0)
        {
            flushDeadLetters();
        }
    }

    private void settled(final int partition, final long offset)
    {
        if (partition >= lastOffsets.length)
        {
            final int n = Math.max(partition + 1, lastOffsets.length * 2);
            lastOffsets = Arrays.copyOf(lastOffsets, n);
            advanced = Arrays.copyOf(advanced, n);
        }
        lastOffsets[partition] = offset;
        advanced[partition] = true;
    }

    private boolean anyAdvanced()
    {
        for (final boolean a : advanced)
        {
            if (a)
            {
                return true;
            }
        }
        return false;
    }

    /** @return a checkpoint per partition advanced since the last commit (allocates once per batch). */
    private List<Checkpoint> checkpoints()
    {
        final List<Checkpoint> out = new ArrayList<>(2);
        for (int p = 0; p < advanced.length; p++)
        {
            if (advanced[p])
            {
                out.add(new Checkpoint(pipeline, sourceName, p, lastOffsets[p], -1));
            }
        }
        return out;
    }

    /** Commits what is pending; called on the stage's thread, and once more when it shuts down. */
    public void commit() throws Exception
    {
        flushDeadLetters();
        if (pending == 0 && !anyAdvanced())
        {
            return;
        }
        final long start = System.nanoTime();
        final List<Checkpoint> checkpoints = checkpoints();
        try
        {
            sink.commit(checkpoints);
        }
        catch (final Exception e)
        {
            recover(e, checkpoints);
        }
        settle(start);
    }

    /** An append failed: the batch so far (the failed row included) is retried or split now. */
    private void appendFailed(final Exception failure) throws Exception
    {
        flushDeadLetters();
        final long start = System.nanoTime();
        recover(failure, checkpoints());
        settle(start);
    }

    /** Accounts for a batch that is now committed or dead-lettered, and starts the next one. */
    private void settle(final long commitStartNanos)
    {
        Arrays.fill(advanced, false);
        if (pending == 0)
        {
            return;
        }
        final long now = System.nanoTime();
        pipelineMetrics.commitLatency().record(now - commitStartNanos);
        pipelineMetrics.batchSize().record(pending);
        pipelineMetrics.commits().increment();
        metrics.out().add(pending - pendingDeadLettersFromSplit);
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
                pipelineMetrics.endToEnd().record(now - runStart, runLength);
                runStart = t;
                runLength = 1;
            }
        }
        pipelineMetrics.endToEnd().record(now - runStart, runLength);
        pending = 0;
        pendingBytes = 0;
        pendingDeadLettersFromSplit = 0;
        if (rows != null)
        {
            rows.clear();
        }
    }

    private int pendingDeadLettersFromSplit;

    /**
     * Handles a failed append or commit of the pending batch: retries, splits or gives up, as the sink classifies
     * the failure. Returns when every pending row is committed or dead-lettered, with the checkpoints.
     */
    private void recover(final Exception failure, final List<Checkpoint> checkpoints) throws Exception
    {
        if (rows == null || sink.classify(failure) == Sink.Failure.FATAL)
        {
            throw failure;
        }
        sink.abort();
        if (rows.size() == 0)
        {
            commitCheckpointsOnly(checkpoints, failure);
            return;
        }
        writeRange(0, rows.size(), checkpoints, failure, 0);
    }

    /**
     * Writes rows [from, to) and commits them (with the checkpoints when this range ends the batch), retrying on
     * transient failures and halving on row failures. The rows after {@code to} are not yet written.
     */
    private void writeRange(
        final int from, final int to, final List<Checkpoint> checkpoints, final Exception previous, final int attempts)
        throws Exception
    {
        Exception failure = previous;
        int attempt = attempts;
        while (true)
        {
            final Sink.Failure kind = failure == null ? null : sink.classify(failure);
            if (kind == Sink.Failure.FATAL)
            {
                throw failure;
            }
            if (kind == Sink.Failure.TRANSIENT)
            {
                if (++attempt > retry.maxAttempts())
                {
                    throw new IllegalStateException("gave up after " + retry.maxAttempts() + " attempts: " +
                        failure.getMessage(), failure);
                }
                pipelineMetrics.retries().increment();
                LockSupport.parkNanos(retry.backoffNanos(attempt, jitter));
            }
            else if (kind == Sink.Failure.ROW && from < to)
            {
                if (to - from == 1)
                {
                    deadLetterRow(from, failure);
                    if (to == rows.size())
                    {
                        commitCheckpointsOnly(checkpoints, null);
                    }
                    return;
                }
                final int mid = (from + to) >>> 1;
                writeRange(from, mid, checkpoints, null, 0);
                writeRange(mid, to, checkpoints, null, 0);
                return;
            }
            try
            {
                for (int i = from; i < to; i++)
                {
                    sink.append(rows.buffer(), rows.base(i));
                }
                sink.commit(to == rows.size() ? checkpoints : List.of());
                return;
            }
            catch (final Exception e)
            {
                sink.abort();
                failure = e;
            }
        }
    }

    private void commitCheckpointsOnly(final List<Checkpoint> checkpoints, final Exception previous)
        throws Exception
    {
        int attempt = 0;
        Exception failure = previous;
        while (true)
        {
            if (failure != null)
            {
                if (sink.classify(failure) != Sink.Failure.TRANSIENT || ++attempt > retry.maxAttempts())
                {
                    throw failure;
                }
                pipelineMetrics.retries().increment();
                LockSupport.parkNanos(retry.backoffNanos(attempt, jitter));
            }
            try
            {
                sink.commit(checkpoints);
                return;
            }
            catch (final Exception e)
            {
                sink.abort();
                failure = e;
            }
        }
    }

    private void deadLetterRow(final int row, final Exception failure) throws Exception
    {
        final EventSlot slot = new EventSlot(rows.base(row));
        slot.length(rows.length(row));
        slot.sourcePosition(rows.partition(row), rows.offset(row));
        slot.deadLetter(DeadLetter.SINK_STAGE, "rejected by the sink: " + failure.getMessage());
        deadLetters.write(slot, rows.buffer());
        deadLetters.flush();
        metrics.deadLetters().increment();
        metrics.errors().increment();
        pendingDeadLettersFromSplit++;
    }

    private void flushDeadLetters() throws Exception
    {
        if (pendingDeadLetters > 0)
        {
            deadLetters.flush();
            metrics.deadLetters().add(pendingDeadLetters);
            pendingDeadLetters = 0;
        }
    }

    /** @return events appended but not yet committed. */
    public int pending()
    {
        return pending;
    }
}

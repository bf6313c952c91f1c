package dev.dataforge.core.delivery;

import com.lmax.disruptor.EventHandler;
import dev.dataforge.api.deadletter.DeadLetter;
import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.FencedException;
import dev.dataforge.api.sink.RejectedEventsException;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.source.SourcePartition;
import dev.dataforge.core.config.BatchConfig;
import dev.dataforge.core.config.RetryConfig;
import dev.dataforge.core.metrics.EventMetrics;
import dev.dataforge.core.metrics.PipelineHealth;
import dev.dataforge.core.metrics.SinkMetrics;
import dev.dataforge.core.ring.Claims;
import dev.dataforge.core.ring.EventSlot;
import org.agrona.DirectBuffer;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The sink stage, gated on every stage before it. It appends passing events to the sink and commits a batch when it
 * holds {@code max_events} events or {@code max_bytes} bytes, and at the end of each ring batch once the oldest
 * event has waited {@code linger} (0: at every end of batch, so batches grow by themselves under load). An idle
 * stage commits what lingers on its wait timeout.
 * <p>
 * <b>Checkpoints.</b> Each commit carries a checkpoint per source partition the batch advanced: the last settled
 * offset (filtered and dead-lettered events count, so recovery never revisits them) and the checkpoint store's
 * epoch of this instance's claim of the partition. An event whose claim is no longer its partition's (the partition
 * was revoked, or assigned again since) is dropped and counted as revoked: whoever owns the partition now reads it
 * again from the checkpoint. A commit holds the claims' lock from its last check of the claims to its end, so that
 * once a revocation returns, no event of the revoked partitions is committed here.
 * <p>
 * <b>Failures</b>, for a {@link Sink#recoverable() recoverable} sink (the stage keeps a copy of each pending event):
 * a transient one retries the batch with exponential backoff and jitter, and when it was the commit itself that
 * failed (a connection lost during COMMIT), first reads the checkpoints back to learn whether the batch is in; a
 * fenced one drops the fenced partitions' events and commits the rest; rejected events the sink can name are
 * dead-lettered and the rest committed; other rejections split the batch in halves until the rejected events are
 * alone (each part committed with the checkpoints up to its end). Anything else stops the pipeline.
 * <p>
 * <b>Dead letters</b> go to the dead-letter queue: written as they come and flushed before each commit, or, for a
 * queue the sink enlisted, written inside the commit of the events they settle.
 * <p>
 * End-to-end latency, source poll to sink commit, is recorded for every delivered event at its commit.
 */
public final class SinkStage implements EventHandler<EventSlot>
{
    /** A dead letter of the batch, for a queue the sink writes in its transactions. */
    private static final class Letter
    {
        final int partition;
        final long offset;
        final DeadLetter letter;
        boolean done;

        Letter(final int partition, final long offset, final DeadLetter letter)
        {
            this.partition = partition;
            this.offset = offset;
            this.letter = letter;
        }
    }

    /** The batch's claims changed under it: some partitions were dropped; commit what is left from the top. */
    private static final class Restart extends Exception
    {
        private static final long serialVersionUID = 1L;

        Restart()
        {
            super(null, null, false, false);
        }
    }

    private final Sink sink;
    private final DeadLetters deadLetters;
    private final DirectBuffer memory;
    private final EventMetrics metrics;
    private final SinkMetrics sinkMetrics;
    private final PipelineHealth health;
    private final String pipeline;
    private final int store;
    private final long bit;
    private final Skips skips = new Skips();
    private final Claims claims;
    private final IntFunction<SourcePartition> partitions;
    private final RetryConfig retry;
    private final int maxEvents;
    private final long maxBytes;
    private final long lingerNanos;
    private final long[] pendingPollNanos;
    private final PendingEvents rows;
    private final int[] txRows;
    private final List<Letter> letters = new ArrayList<>();
    private final SplittableRandom jitter = new SplittableRandom();
    private final Positions positions = new Positions();
    /** False for a sink that ignores the checkpoints of its commits: none are built for it. */
    private final boolean checkpointsWanted;
    private long[] lastOffsets = new long[16];
    /** Per partition: the journal index of its last settled event in this batch, and of its last committed one. */
    private long[] lastJournal = new long[16];
    private long[] committedJournal = filled(16);
    /** The journal index of the last event seen, and the one up to which everything seen is settled. */
    private long seenJournal = -1;
    private volatile long settledJournal = -1;
    private long[] claimOf = new long[16];
    private boolean[] advanced = new boolean[16];
    private int txSize;
    private int committedRows;
    private int pending;
    private long pendingBytes;
    private long firstPendingNanos;
    private int pendingDeadLetters;
    private int deadLettersThisCommit;
    private long batchStartNanos;
    private long batchEvents;

    /**
     * @param checkpointName the name this sink's checkpoints are kept under (the pipeline's, or pipeline/sink).
     * @param index          the sink's place among the pipeline's sinks: its bit in an event's sink mask, and its
     *                       checkpoint store's index in the claims.
     * @param claims         which partitions this instance owns, under which claims.
     * @param partitions     how checkpoints name a partition number (the source's {@code sourcePartition}).
     */
    public SinkStage(
        final Sink sink,
        final DeadLetters deadLetters,
        final DirectBuffer memory,
        final int recordLength,
        final BatchConfig batch,
        final RetryConfig retry,
        final String checkpointName,
        final int index,
        final SinkMetrics sinkMetrics,
        final PipelineHealth health,
        final Claims claims,
        final IntFunction<SourcePartition> partitions)
    {
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.memory = memory;
        this.metrics = sinkMetrics.stage();
        this.sinkMetrics = sinkMetrics;
        this.health = health;
        this.pipeline = checkpointName;
        this.store = index;
        this.bit = 1L << index;
        this.claims = claims;
        this.partitions = partitions;
        this.retry = retry;
        this.maxEvents = batch.maxEvents();
        this.maxBytes = batch.maxBytes();
        this.lingerNanos = batch.linger().toNanos();
        this.pendingPollNanos = new long[maxEvents];
        this.rows = sink.recoverable() ? new PendingEvents(maxEvents, recordLength) : null;
        this.checkpointsWanted = takesCheckpoints(sink);
        this.txRows = new int[maxEvents];
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
        final int p = slot.partition();
        final long claim = slot.claim();
        if (claim == Claims.NOT_OWNED || claims.claim(p) != claim)
        {
            // published under a claim this instance no longer holds: the partition's owner reads it again
            metrics.revoked().increment();
        }
        else if (skips.skip(p, slot.sourceOffset(), claim))
        {
            sinkMetrics.skipped().increment(); // read again for a sink behind this one: this one has it already
        }
        else
        {
            if (p < advanced.length && advanced[p] && claimOf[p] != claim)
            {
                commit(); // the batch holds events of an older claim of p: settle (drop) them first
            }
            settled(p, slot.sourceOffset(), claim, slot.journalIndex());
            switch (slot.status())
            {
                case EventSlot.PASS:
                    if ((slot.sinks() & bit) != 0)
                    {
                        append(slot);
                    }
                    else
                    {
                        metrics.filtered().increment(); // routed to other sinks only
                    }
                    break;
                case EventSlot.DEAD_LETTER:
                    final DeadLetter letter = deadLetters.of(slot, memory);
                    if (deadLetters.enlisted())
                    {
                        letters.add(new Letter(p, slot.sourceOffset(), letter));
                    }
                    else
                    {
                        deadLetters.write(letter);
                        pendingDeadLetters++;
                    }
                    break;
                default:
                    metrics.filtered().increment();
                    break;
            }
        }
        seenJournal = slot.journalIndex(); // after any commit above, which settles only what came before
        if (endOfBatch)
        {
            endOfBatch();
        }
    }

    private static long[] filled(final int n)
    {
        final long[] a = new long[n];
        Arrays.fill(a, -1);
        return a;
    }

    /**
     * @return the journal index up to which every event this stage has seen is settled (committed, or passed over):
     * what the journal may let go of. -1 before the first.
     */
    public long settledJournalIndex()
    {
        return settledJournal;
    }

    private void append(final EventSlot slot) throws Exception
    {
        if (pending == 0)
        {
            firstPendingNanos = System.nanoTime();
        }
        final int row = pending;
        if (rows != null)
        {
            rows.add(memory, slot.base(), slot.length(), slot.partition(), slot.sourceOffset());
        }
        pendingPollNanos[pending++] = slot.pollNanos();
        pendingBytes += slot.length();
        try
        {
            sink.append(memory, slot.base());
            txRows[txSize++] = row;
        }
        catch (final Exception e)
        {
            appendFailed(e);
            return;
        }
        if (pending >= maxEvents || pendingBytes >= maxBytes)
        {
            commit();
        }
    }

    /** The end of a batch of {@code events} events that did not come from the ring (a journal feed's read). */
    public void endOfBatch(final long events) throws Exception
    {
        batchEvents = events;
        endOfBatch();
    }

    private void endOfBatch() throws Exception
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
        else if (pending == 0 && (pendingDeadLetters > 0 || !letters.isEmpty() || lingerNanos == 0 && anyAdvanced()))
        {
            commit();
        }
    }

    /** @return whether {@link #onTimeout} has anything to do: events or dead letters pending, positions to save. */
    public boolean hasWork()
    {
        return pending > 0 || pendingDeadLetters > 0 || !letters.isEmpty() || anyAdvanced();
    }

    @Override
    public void onTimeout(final long sequence) throws Exception
    {
        if (pending > 0 && System.nanoTime() - firstPendingNanos >= lingerNanos ||
            pending == 0 && (anyAdvanced() || !letters.isEmpty()))
        {
            commit();
        }
        else if (pendingDeadLetters > 0)
        {
            flushDeadLetters();
        }
    }

    private void settled(final int partition, final long offset, final long claim, final long journalIndex)
    {
        if (partition >= lastOffsets.length)
        {
            final int n = Math.max(partition + 1, lastOffsets.length * 2);
            lastOffsets = Arrays.copyOf(lastOffsets, n);
            final int old = lastJournal.length;
            lastJournal = Arrays.copyOf(lastJournal, n);
            committedJournal = Arrays.copyOf(committedJournal, n);
            Arrays.fill(committedJournal, old, n, -1);
            claimOf = Arrays.copyOf(claimOf, n);
            advanced = Arrays.copyOf(advanced, n);
        }
        lastOffsets[partition] = offset;
        lastJournal[partition] = journalIndex;
        claimOf[partition] = claim;
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

    /**
     * Partitions just assigned, at the checkpoint recovery found for each: their lag hint is that position until a
     * commit moves it. Without this a partition taken over with nothing new to deliver kept the hint its previous
     * owner (perhaps killed) last committed, and standard tools showed it behind for ever. Called on the source's
     * thread.
     */
    public void recovered(final Map<Integer, Long> recovered)
    {
        recovered.forEach((p, offset) ->
        {
            positions.raise(p, offset);
            skips.set(p, offset, claims.claim(p));
        });
    }

    /** @return the positions committed so far (partition number to last settled offset), for lag hints. */
    public Map<Integer, Long> committedPositions()
    {
        return positions.snapshot();
    }

    /** Commits what is pending; called on the stage's thread, and once more when it shuts down. */
    public void commit() throws Exception
    {
        flushDeadLetters();
        if (pending == 0 && !anyAdvanced() && letters.isEmpty())
        {
            settledJournal = seenJournal;
            return;
        }
        final long start = System.nanoTime();
        commitBatch(null);
        settle(start);
    }

    /** An append failed: the batch so far (the failed event included) is retried or split now. */
    private void appendFailed(final Exception failure) throws Exception
    {
        flushDeadLetters();
        final long start = System.nanoTime();
        final Exception pinned = pinRows(failure);
        abort();
        commitBatch(pinned);
        settle(start);
    }

    /**
     * Commits every event of the batch not yet committed (or drops or dead-letters it), with the checkpoints; returns
     * when the whole batch is settled.
     *
     * @param failure the failure of an append that broke the batch's transaction, or null while it is intact.
     */
    private void commitBatch(final Exception failure) throws Exception
    {
        Exception previous = failure;
        for (int restarts = 0; ; restarts++)
        {
            try
            {
                final int size = rows == null ? pending : rows.size();
                writeRange(committedRows, size, previous, rows == null || previous == null && txSize > 0 ? size :
                    committedRows);
                return;
            }
            catch (final Restart restart)
            {
                if (restarts >= 100)
                {
                    throw new IllegalStateException("the sink keeps refusing the batch's epochs: " +
                        lastCheckpoints);
                }
                previous = null;
                abort();
            }
        }
    }

    /**
     * Writes rows [from, to) and commits them with the checkpoints up to {@code to} (the batch's own when {@code to}
     * ends the batch), retrying on transient failures, dropping fenced partitions, dead-lettering rejected events and
     * halving on other rejections. Rows before {@code from} are committed; rows up to {@code appendedUpTo} are in the
     * sink's open transaction already.
     */
    private void writeRange(final int from, final int to, final Exception previous, final int appendedUpTo)
        throws Exception
    {
        Exception failure = previous;
        // a commit failed with the connection: until the checkpoints read back say whether it went in, nothing is
        // written again
        boolean outcomeUnknown = false;
        int attempt = 0;
        int appended = appendedUpTo;
        while (true)
        {
            if (failure != null)
            {
                if (rows == null)
                {
                    throw failure;
                }
                final Sink.Failure kind = kind(failure);
                if (kind == Sink.Failure.FATAL)
                {
                    throw failure;
                }
                if (kind == Sink.Failure.FENCED)
                {
                    fenced((FencedException)failure);
                    throw new Restart();
                }
                if (kind == Sink.Failure.TRANSIENT)
                {
                    if (++attempt > retry.maxAttempts())
                    {
                        throw new IllegalStateException("gave up after " + retry.maxAttempts() + " attempts: " +
                            failure.getMessage(), failure);
                    }
                    sinkMetrics.retries().increment();
                    health.sinkDown(sinkMetrics.name(), failure.getMessage());
                    LockSupport.parkNanos(retry.backoffNanos(attempt, jitter));
                    if (outcomeUnknown)
                    {
                        final Outcome outcome = readBack(to);
                        if (outcome == Outcome.IN)
                        {
                            return;
                        }
                        if (outcome == Outcome.UNKNOWN)
                        {
                            continue; // the store cannot be read yet: back off and read again
                        }
                        outcomeUnknown = false;
                    }
                }
                else if (failure instanceof RejectedRows)
                {
                    for (final Map.Entry<Integer, String> e : ((RejectedRows)failure).reasons.entrySet())
                    {
                        deadLetterRow(e.getKey(), e.getValue());
                    }
                }
                else if (liveRows(from, to) == 0)
                {
                    throw failure; // rejected with no event left to blame: the commit itself is refused
                }
                else if (liveRows(from, to) == 1)
                {
                    deadLetterRow(firstLive(from, to), "rejected by the sink: " + failure.getMessage());
                }
                else
                {
                    final int mid = middleLive(from, to);
                    writeRange(from, mid, null, from);
                    writeRange(mid, to, null, mid);
                    return;
                }
                failure = null;
                outcomeUnknown = false;
                txSize = 0;
                appended = from;
            }
            try
            {
                for (int i = appended; i < to; i++)
                {
                    if (rows == null || !rows.removed(i))
                    {
                        sink.append(rows.buffer(), rows.base(i));
                        txRows[txSize++] = i;
                    }
                }
                appended = to;
            }
            catch (final Exception e)
            {
                failure = pinRows(e);
                abort();
                continue;
            }
            try
            {
                commitUnderLock(to);
                committedRows = to;
                return;
            }
            catch (final Restart restart)
            {
                throw restart;
            }
            catch (final Exception e)
            {
                failure = pinRows(e);
                outcomeUnknown = true;
                abort();
            }
        }
    }

    /** @return how the stage treats {@code failure}. */
    private Sink.Failure kind(final Exception failure)
    {
        if (failure instanceof FencedException)
        {
            return Sink.Failure.FENCED;
        }
        if (failure instanceof RejectedRows)
        {
            return Sink.Failure.ROW;
        }
        return sink.classify(failure);
    }

    /**
     * The events a {@link RejectedEventsException} names, by their positions in the sink's open transaction, as the
     * pending rows they are: read before the abort, which forgets which rows the transaction held.
     *
     * @throws RejectedEventsException when it names no event of the transaction (a dead letter or a checkpoint of
     * the transaction, or a position it never had): retrying the same events would be refused the same way forever.
     */
    private Exception pinRows(final Exception failure) throws RejectedEventsException
    {
        if (!(failure instanceof RejectedEventsException))
        {
            return failure;
        }
        final Map<Integer, String> reasons = new TreeMap<>();
        for (final Map.Entry<Integer, String> e : ((RejectedEventsException)failure).rejected().entrySet())
        {
            if (e.getKey() >= 0 && e.getKey() < txSize)
            {
                reasons.put(txRows[e.getKey()], e.getValue());
            }
        }
        if (reasons.isEmpty())
        {
            throw (RejectedEventsException)failure;
        }
        return new RejectedRows(reasons);
    }

    /** Pending rows the destination rejected, with its reason for each. */
    private static final class RejectedRows extends Exception
    {
        private static final long serialVersionUID = 1L;

        private final transient Map<Integer, String> reasons;

        RejectedRows(final Map<Integer, String> reasons)
        {
            super(reasons.values().iterator().next(), null, false, false);
            this.reasons = reasons;
        }
    }

    /**
     * @return false when {@code sink} keeps {@link Sink#commit(List)} as the interface has it (the checkpoints
     * ignored): building them for every commit of a blackhole sink was the in-process pipeline's only steady garbage.
     */
    static boolean takesCheckpoints(final Sink sink)
    {
        try
        {
            return sink.getClass().getMethod("commit", List.class).getDeclaringClass() != Sink.class;
        }
        catch (final NoSuchMethodException e)
        {
            return true;
        }
    }

    /** Aborts the sink's transaction: its appended events and dead letters are gone. */
    private void abort() throws Exception
    {
        txSize = 0;
        if (rows != null)
        {
            sink.abort();
        }
    }

    /**
     * The partitions whose checkpoints and letters the last commit attempt carried: their numbers (the first
     * {@code lastCount}), their checkpoints (in the same order; the list is reused, a sink reads it only while it
     * commits), and per partition number whether it is in and at which offset.
     */
    private int[] lastIndexes = new int[16];
    private int lastCount;
    private final List<Checkpoint> lastCheckpoints = new ArrayList<>();
    private boolean[] inCommit = new boolean[0];
    private long[] commitOffsets = new long[0];
    private long[] commitJournal = new long[0];
    private final List<Letter> lastLetters = new ArrayList<>();

    /**
     * Commits the sink's open transaction with the checkpoints up to row {@code to}, under the claims' lock: the
     * claims are checked first, and partitions no longer owned are dropped (and the batch restarted).
     */
    private void commitUnderLock(final int to) throws Exception
    {
        claims.commitLock().lock();
        try
        {
            if (dropStale())
            {
                throw new Restart();
            }
            buildCheckpoints(to);
            for (final Letter l : lastLetters)
            {
                deadLetters.write(l.letter);
            }
            sink.commit(lastCheckpoints);
        }
        finally
        {
            claims.commitLock().unlock();
        }
        for (int i = 0; i < lastCount; i++)
        {
            committedJournal[lastIndexes[i]] = commitJournal[lastIndexes[i]];
        }
        for (final Letter l : lastLetters)
        {
            l.done = true;
        }
        deadLettersThisCommit += lastLetters.size();
        publishPositions();
        txSize = 0;
    }

    /**
     * Drops the batch's events, letters and checkpoints of partitions whose claim is no longer this instance's (for a
     * recoverable sink: another has them; the others are at least once and keep them).
     *
     * @return true when something was dropped.
     */
    private boolean dropStale()
    {
        if (rows == null)
        {
            return false;
        }
        boolean dropped = false;
        for (int p = 0; p < advanced.length; p++)
        {
            if (advanced[p] && claims.claim(p) != claimOf[p])
            {
                dropPartition(p);
                dropped = true;
            }
        }
        return dropped;
    }

    private void dropPartition(final int p)
    {
        advanced[p] = false;
        for (int i = committedRows; i < rows.size(); i++)
        {
            if (rows.partition(i) == p && !rows.removed(i))
            {
                rows.remove(i);
                metrics.revoked().increment();
            }
        }
        for (final Letter l : letters)
        {
            if (l.partition == p && !l.done)
            {
                l.done = true;
                metrics.revoked().increment();
            }
        }
        LoggerFactory.getLogger(SinkStage.class).info("partition {} is no longer this instance's: its uncommitted " +
            "events are dropped, its new owner reads them again", partitions.apply(p));
    }

    private void fenced(final FencedException e)
    {
        for (final Checkpoint c : e.fenced())
        {
            for (int i = 0; i < lastCheckpoints.size(); i++)
            {
                if (lastCheckpoints.get(i).samePartition(c))
                {
                    claims.fenced(lastIndexes[i], claimOf[lastIndexes[i]]);
                }
            }
        }
    }

    /**
     * Builds the checkpoints (and picks the letters) of a commit of rows [0, to): the batch's own when {@code to}
     * ends it, else per partition the offset of its last event before {@code to}. Allocates the checkpoints only
     * (one per partition the commit advances): the commit path runs once per ring batch, a million times a second
     * where batches are single events, and a map per commit was most of the pipeline's garbage.
     */
    private void buildCheckpoints(final int to)
    {
        final int size = rows == null ? pending : rows.size();
        if (inCommit.length < advanced.length)
        {
            inCommit = new boolean[advanced.length];
            commitOffsets = new long[advanced.length];
            commitJournal = new long[advanced.length];
        }
        Arrays.fill(inCommit, false);
        if (to >= size)
        {
            for (int p = 0; p < advanced.length; p++)
            {
                if (advanced[p])
                {
                    inCommit[p] = true;
                    commitOffsets[p] = lastOffsets[p];
                    commitJournal[p] = lastJournal[p];
                }
            }
        }
        else
        {
            for (int i = 0; i < to; i++)
            {
                final int p = rows.partition(i);
                if (advanced[p])
                {
                    commitOffsets[p] = inCommit[p] ? Math.max(commitOffsets[p], rows.offset(i)) : rows.offset(i);
                    // a part of a split batch: the last committed index, older than this part's (replay from an
                    // older index only reads again what the checkpoint's offset then skips)
                    commitJournal[p] = committedJournal[p];
                    inCommit[p] = true;
                }
            }
        }
        lastCheckpoints.clear();
        lastCount = 0;
        for (int p = 0; p < inCommit.length; p++)
        {
            if (inCommit[p])
            {
                if (lastCount == lastIndexes.length)
                {
                    lastIndexes = Arrays.copyOf(lastIndexes, lastCount * 2);
                }
                lastIndexes[lastCount++] = p;
                if (checkpointsWanted)
                {
                    lastCheckpoints.add(new Checkpoint(pipeline, partitions.apply(p), commitOffsets[p],
                        commitJournal[p], claims.storeEpoch(store, p)));
                }
            }
        }
        lastLetters.clear();
        for (int i = 0; i < letters.size(); i++)
        {
            final Letter l = letters.get(i);
            if (!l.done && l.partition < inCommit.length && inCommit[l.partition] &&
                l.offset <= commitOffsets[l.partition])
            {
                lastLetters.add(l);
            }
        }
    }

    /** What the checkpoints read back say of a commit whose outcome was unknown. */
    private enum Outcome
    {
        IN, NOT_IN, UNKNOWN
    }

    /**
     * After a commit failed with the connection, learns from the checkpoints read back whether it went in anyway. The
     * batch's transaction is atomic, so one partition answers for all: one whose stored epoch is still this claim's
     * and whose offset moved in this commit holds the commit's offset exactly when the commit went in. Partitions
     * claimed by another instance since say nothing (and are dropped when the batch goes again).
     *
     * @return {@link Outcome#IN} when it did (the rows up to {@code to} are committed), {@link Outcome#UNKNOWN} when
     * the store cannot be read.
     */
    private Outcome readBack(final int to)
    {
        if (lastCheckpoints.isEmpty())
        {
            return Outcome.NOT_IN;
        }
        final List<SourcePartition> partitions = new ArrayList<>(lastCheckpoints.size());
        for (final Checkpoint c : lastCheckpoints)
        {
            partitions.add(new SourcePartition(c.source(), c.partition(), c.sourceId()));
        }
        final List<Checkpoint> stored;
        try
        {
            stored = sink.readCheckpoints(pipeline, partitions);
        }
        catch (final Exception unreadable)
        {
            LoggerFactory.getLogger(SinkStage.class).warn("the outcome of a failed commit is still unknown: the " +
                "checkpoints cannot be read ({})", unreadable.toString());
            try
            {
                // nothing is in the sink's transaction now; a sink whose connection broke opens a new one next time
                // (without this, a session that died during the read-back was read from again and again)
                sink.abort();
            }
            catch (final Exception stillBroken)
            {
                // the next read-back tries again
            }
            return Outcome.UNKNOWN;
        }
        boolean in = false;
        for (int i = 0; i < lastCheckpoints.size(); i++)
        {
            final Checkpoint ours = lastCheckpoints.get(i);
            if (positions.get(lastIndexes[i]) == ours.offset())
            {
                continue; // not moved by this commit (a part of a split batch): says nothing
            }
            for (final Checkpoint s : stored)
            {
                if (s.samePartition(ours) && s.epoch() == ours.epoch() && s.offset() == ours.offset())
                {
                    in = true;
                }
            }
        }
        if (!in)
        {
            return Outcome.NOT_IN;
        }
        LoggerFactory.getLogger(SinkStage.class).info("a commit whose outcome was unknown is in: the checkpoints " +
            "read back are the batch's");
        for (final Letter l : lastLetters)
        {
            l.done = true;
        }
        deadLettersThisCommit += lastLetters.size();
        publishPositions();
        committedRows = to;
        txSize = 0;
        return Outcome.IN;
    }

    private void publishPositions()
    {
        for (int i = 0; i < lastCount; i++)
        {
            positions.set(lastIndexes[i], commitOffsets[lastIndexes[i]]);
        }
    }

    private int liveRows(final int from, final int to)
    {
        int n = 0;
        for (int i = from; i < to; i++)
        {
            if (!rows.removed(i))
            {
                n++;
            }
        }
        return n;
    }

    private int firstLive(final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (!rows.removed(i))
            {
                return i;
            }
        }
        return -1;
    }

    /** @return the row that splits the live rows of [from, to) in halves. */
    private int middleLive(final int from, final int to)
    {
        final int half = liveRows(from, to) / 2;
        int seen = 0;
        for (int i = from; i < to; i++)
        {
            if (!rows.removed(i) && seen++ == half)
            {
                return i;
            }
        }
        return to;
    }

    /** Accounts for a batch that is now committed, dead-lettered or dropped, and starts the next one. */
    private void settle(final long commitStartNanos)
    {
        Arrays.fill(advanced, false);
        settledJournal = seenJournal;
        final int size = rows == null ? pending : rows.size();
        final int delivered = rows == null ? pending : rows.live();
        metrics.deadLetters().add(deadLettersThisCommit);
        deadLettersThisCommit = 0;
        letters.clear();
        if (size > 0)
        {
            final long now = System.nanoTime();
            sinkMetrics.commitLatency().record(now - commitStartNanos);
            sinkMetrics.batchSize().record(delivered);
            sinkMetrics.commits().increment();
            health.sinkUp(sinkMetrics.name());
            // consecutive events of one poll share a poll time: record each run once, with its count
            long runStart = -1;
            int runLength = 0;
            for (int i = 0; i < size; i++)
            {
                if (rows != null && rows.removed(i))
                {
                    continue;
                }
                final long t = pendingPollNanos[i];
                if (t == runStart)
                {
                    runLength++;
                    continue;
                }
                if (runLength > 0)
                {
                    sinkMetrics.endToEnd().record(now - runStart, runLength);
                }
                runStart = t;
                runLength = 1;
            }
            if (runLength > 0)
            {
                sinkMetrics.endToEnd().record(now - runStart, runLength);
            }
            // after the latencies: a reader that sees the count sees their latencies too
            metrics.out().add(delivered);
        }
        pending = 0;
        pendingBytes = 0;
        committedRows = 0;
        txSize = 0;
        if (rows != null)
        {
            rows.clear();
        }
    }

    /** Dead-letters pending row {@code row}, which the destination rejected for {@code reason}. */
    private void deadLetterRow(final int row, final String reason) throws Exception
    {
        final EventSlot slot = new EventSlot(rows.base(row));
        slot.length(rows.length(row));
        slot.sourcePosition(rows.partition(row), rows.offset(row));
        slot.deadLetter(DeadLetter.SINK_STAGE, reason);
        rows.remove(row);
        metrics.errors().increment();
        final DeadLetter letter = deadLetters.of(slot, rows.buffer());
        if (deadLetters.enlisted())
        {
            letters.add(new Letter(rows.partition(row), rows.offset(row), letter));
        }
        else
        {
            deadLetters.write(letter);
            deadLetters.flush();
            metrics.deadLetters().increment();
        }
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
        return rows == null ? pending : rows.live() - committedRows;
    }
}

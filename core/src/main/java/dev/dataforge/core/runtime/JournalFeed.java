package dev.dataforge.core.runtime;

import dev.dataforge.core.delivery.JournalCodec;
import dev.dataforge.core.delivery.SinkStage;
import dev.dataforge.core.ingestion.SourceLoop;
import dev.dataforge.core.ring.Claims;
import dev.dataforge.core.ring.EventSlot;
import dev.dataforge.journal.EntryHeader;
import dev.dataforge.journal.Journal;
import dev.dataforge.journal.JournalReader;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * One sink's reader of the journal, on the sink's own thread: it opens the sink, waits for recovery to say where
 * the sink resumes, then hands every journaled event to the sink stage at the sink's own pace, and on halt reads
 * up to the last journaled event, commits and closes the sink. A sink that is down (retrying) holds back only
 * itself: the journal keeps what it has not delivered.
 * <p>
 * An event journaled in this run carries the claim it was read under; one journaled before (replayed at a start)
 * is taken under the partition's current claim where recovery let the journal re-deliver the partition, else as not
 * owned (recovery had the source read it again).
 */
final class JournalFeed implements Runnable, JournalReader.EntryHandler
{
    /** {@link #start}: not yet told. */
    static final long UNSET = Long.MIN_VALUE;
    private static final int READ_LIMIT = 512;

    private final String name;
    private final Journal journal;
    private final JournalCodec codec;
    private final SinkLifecycle lifecycle;
    private final SinkStage stage;
    private final Claims claims;
    private final JournalRecovery recovery;
    private final long runStart;
    private final long timeoutNanos;
    private final SourceLoop.Control pipeline;
    private final UnsafeBuffer memory;
    private final EventSlot slot = new EventSlot(0);
    private volatile long start = UNSET;
    private volatile long drainTo = UNSET;
    private volatile boolean halted;
    private volatile boolean parked;
    private volatile long position = UNSET;
    private volatile Thread thread;
    private long sequence;

    /**
     * @param runStart     the journal's last index when this run opened it: entries after it are this run's.
     * @param timeoutNanos how long the feed waits for entries before it lets the stage commit what lingers.
     */
    JournalFeed(final String name, final Journal journal, final JournalCodec codec, final SinkLifecycle lifecycle,
        final SinkStage stage, final Claims claims, final JournalRecovery recovery, final long runStart,
        final long timeoutNanos, final SourceLoop.Control pipeline, final UnsafeBuffer memory)
    {
        this.name = name;
        this.journal = journal;
        this.codec = codec;
        this.lifecycle = lifecycle;
        this.stage = stage;
        this.claims = claims;
        this.recovery = recovery;
        this.runStart = runStart;
        this.timeoutNanos = timeoutNanos;
        this.pipeline = pipeline;
        this.memory = memory;
    }

    /** @return a buffer for one record, which the feed copies each event into and the sink stage reads. */
    static UnsafeBuffer newMemory(final int recordLength)
    {
        // alignedSlice rounds the capacity down to a multiple of 64: allocate a whole aligned record plus the slack
        return new UnsafeBuffer(ByteBuffer.allocateDirect(BitUtil.align(recordLength, 64) + 64).alignedSlice(64));
    }

    /** Recovery: the sink resumes after journal index {@code afterIndex}. */
    void start(final long afterIndex)
    {
        if (start == UNSET)
        {
            position = afterIndex;
            start = afterIndex;
            LockSupport.unpark(thread);
        }
    }

    boolean started()
    {
        return start != UNSET;
    }

    /** @return the oldest journal index this sink still needs (its settled position, or its start). */
    long neededIndex()
    {
        if (start == UNSET)
        {
            return Journal.NULL_INDEX;
        }
        final long settled = stage.settledJournalIndex();
        return Math.max(settled, start) + 1;
    }

    /** @return the index of the last entry read (handed to the stage), or its start. */
    long position()
    {
        return position;
    }

    /** Wakes the feed if it waits for entries. */
    void wake()
    {
        if (parked)
        {
            LockSupport.unpark(thread);
        }
    }

    /** Stops the feed once it has read up to {@code lastIndex}: it commits and closes the sink. */
    void halt(final long lastIndex)
    {
        drainTo = lastIndex;
        halted = true;
        LockSupport.unpark(thread);
    }

    /** Stops the feed now (a failed pipeline): what it holds is not committed. */
    void abort()
    {
        drainTo = Long.MIN_VALUE + 1;
        halted = true;
        LockSupport.unpark(thread);
    }

    SinkLifecycle lifecycle()
    {
        return lifecycle;
    }

    @Override
    public void run()
    {
        thread = Thread.currentThread();
        lifecycle.onStart();
        try
        {
            if (lifecycle.awaitOpen() != null)
            {
                return;
            }
            while (start == UNSET && !halted)
            {
                LockSupport.parkNanos(this, 10_000_000);
            }
            if (start == UNSET)
            {
                start(runStart); // never assigned anything: nothing of an earlier run is this instance's
            }
            try (JournalReader reader = journal.reader(start))
            {
                feed(reader);
            }
        }
        catch (final StageHalted e)
        {
            // reported already
        }
        catch (final Throwable t)
        {
            pipeline.fail(name, t);
        }
        finally
        {
            lifecycle.onShutdown();
        }
    }

    private void feed(final JournalReader reader) throws Exception
    {
        long lastActive = System.nanoTime();
        while (!pipeline.failed())
        {
            stage.onBatchStart(READ_LIMIT, 0);
            final int n = reader.read(this, READ_LIMIT);
            if (n > 0)
            {
                position = reader.lastReadIndex();
                stage.endOfBatch(n);
                lastActive = System.nanoTime();
                continue;
            }
            if (n == JournalReader.CORRUPT)
            {
                throw new IllegalStateException("journal entry after index " + reader.lastReadIndex() +
                    " is corrupt: " + reader.corruption());
            }
            if (n == JournalReader.CLOSED)
            {
                return;
            }
            if (halted && reader.lastReadIndex() >= drainTo)
            {
                return;
            }
            if (stage.hasWork() && System.nanoTime() - lastActive >= timeoutNanos)
            {
                stage.onTimeout(sequence);
                lastActive = System.nanoTime();
                continue;
            }
            parked = true;
            final int m = reader.read(this, 1); // after parked is set: an append from now on wakes us
            if (m == 0 && !halted)
            {
                LockSupport.parkNanos(this, timeoutNanos);
            }
            parked = false;
            if (m > 0)
            {
                position = reader.lastReadIndex();
                stage.endOfBatch(m);
                lastActive = System.nanoTime();
            }
        }
    }

    @Override
    public void onEntry(final long index, final EntryHeader header, final DirectBuffer buffer, final int offset,
        final int length) throws Exception
    {
        final long claim;
        if (index > runStart)
        {
            claim = header.tag;
        }
        else
        {
            final long current = claims.claim(header.partition);
            claim = recovery.replays(header.partition, header.sourceIdHi, header.sourceIdLo) ? current :
                Claims.NOT_OWNED;
        }
        codec.decode(index, header, buffer, offset, length, claim, slot, memory);
        stage.onEvent(slot, sequence++, false);
    }

}

package dev.dataforge.core.delivery;

import dev.dataforge.api.source.SourcePartition;
import dev.dataforge.core.metrics.Counter;
import dev.dataforge.core.ring.EventSlot;
import dev.dataforge.journal.EntryHeader;
import dev.dataforge.journal.Journal;
import org.agrona.DirectBuffer;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The journal stage, on the process stage's thread: appends every processed event (passing, filtered or dead) to
 * the journal, in ring order, before any sink sees it, and sets the slot's journal index. At the end of each ring
 * batch it flushes (the sync policy's {@code batch} point) and wakes the sinks' feeds.
 * <p>
 * When the journal holds {@code retention.size} that a sink still needs, appends wait: the process stage stops, the
 * ring fills and the source pauses its partitions (backpressure, never loss) until the slowest sink moves on and
 * retention frees a cycle. Retention itself runs about once a second on a housekeeping thread of its own (listing
 * and deleting cycle files takes milliseconds, kept off this thread), with the
 * oldest index any sink still needs; a full journal retains here too, before it waits.
 */
public final class JournalStage
{
    private final Journal journal;
    private final JournalCodec codec;
    private final DirectBuffer memory;
    private final IntFunction<SourcePartition> partitions;
    private final LongSupplier neededIndex;
    private final Runnable wake;
    private final BooleanSupplier stopping;
    private final Counter backpressure;
    private final Counter appended;
    private final EntryHeader header = new EntryHeader();
    private final JournalCodec.Payload payload = new JournalCodec.Payload();
    private long[] idClaim = new long[0];
    private long[] idHi = new long[0];
    private long[] idLo = new long[0];
    private long batchMillis;

    /**
     * @param memory      the ring's memory, where the slots' records are.
     * @param partitions  a partition number's source partition (for its source id).
     * @param neededIndex the oldest journal index some sink still needs.
     * @param wake        wakes the sinks' feeds.
     * @param stopping    true once the pipeline stops: a full journal then fails the stage instead of waiting.
     */
    public JournalStage(final Journal journal, final JournalCodec codec, final DirectBuffer memory,
        final IntFunction<SourcePartition> partitions, final LongSupplier neededIndex, final Runnable wake,
        final BooleanSupplier stopping, final Counter backpressure, final Counter appended)
    {
        this.journal = journal;
        this.codec = codec;
        this.memory = memory;
        this.partitions = partitions;
        this.neededIndex = neededIndex;
        this.wake = wake;
        this.stopping = stopping;
        this.backpressure = backpressure;
        this.appended = appended;
    }

    public void onBatchStart()
    {
        batchMillis = System.currentTimeMillis();
    }

    /** Journals the event in {@code slot}. */
    public void onEvent(final EventSlot slot)
    {
        final int p = slot.partition();
        if (p >= idClaim.length || idClaim[p] != slot.claim())
        {
            sourceId(p, slot.claim()); // once per partition and claim (an assignment may bring a recreated topic)
        }
        codec.encode(slot, memory, batchMillis, idHi[p], idLo[p], header, payload);
        long index = journal.append(header, payload.buffer, payload.offset, payload.length);
        while (index == Journal.BACK_PRESSURED)
        {
            waitForRoom();
            index = journal.append(header, payload.buffer, payload.offset, payload.length);
        }
        if (index == Journal.CLOSED)
        {
            throw new IllegalStateException("the journal is closed");
        }
        slot.journalIndex(index);
        appended.increment();
    }

    /** The end of a ring batch: flush and wake the feeds (retention runs on the housekeeping thread). */
    public void endOfBatch()
    {
        journal.flush();
        wake.run();
    }

    private void waitForRoom()
    {
        journal.flush();
        wake.run();
        if (journal.retain(neededIndex.getAsLong()) > 0)
        {
            return;
        }
        if (stopping.getAsBoolean())
        {
            throw new IllegalStateException("the journal is full (its retention size is taken by entries a sink " +
                "has not delivered) and the pipeline is stopping: events not journaled are read again from the " +
                "source at the next start");
        }
        backpressure.increment();
        LockSupport.parkNanos(1_000_000);
    }

    private void sourceId(final int p, final long claim)
    {
        if (p >= idClaim.length)
        {
            final int n = Math.max(p + 1, idClaim.length * 2);
            final int old = idClaim.length;
            idClaim = Arrays.copyOf(idClaim, n);
            Arrays.fill(idClaim, old, n, Long.MIN_VALUE);
            idHi = Arrays.copyOf(idHi, n);
            idLo = Arrays.copyOf(idLo, n);
        }
        final String id = partitions.apply(p).sourceId();
        idHi[p] = JournalCodec.sourceIdHi(id);
        idLo[p] = JournalCodec.sourceIdLo(id);
        idClaim[p] = claim;
    }
}

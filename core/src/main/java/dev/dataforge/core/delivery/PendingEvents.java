package dev.dataforge.core.delivery;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Copies of the events of the batch being built, kept by the sink stage for sinks that can retry or split a failed
 * batch (the ring slots are reused before the batch commits). Preallocated for {@code maxEvents} events of the
 * layout's fixed length; records are copied one after the other, each as long as it is, and the memory doubles
 * (rarely: a batch of records longer than the fixed part) when a batch needs more. An event taken out of the batch
 * (dead-lettered by the sink, or of a partition this instance lost) stays in place, marked removed.
 * <pre>
 *   | event 0 (length[0]) | event 1 (length[1]) | ...      with base[i], partition[i], offset[i], removed[i]
 * </pre>
 */
final class PendingEvents
{
    private UnsafeBuffer rows;
    private final int[] bases;
    private int used;
    private final int[] partitions;
    private final long[] offsets;
    private final int[] lengths;
    private final boolean[] removed;
    private int size;
    private int live;

    PendingEvents(final int maxEvents, final int recordLength)
    {
        this.rows = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(64, maxEvents * recordLength)));
        this.bases = new int[maxEvents];
        this.partitions = new int[maxEvents];
        this.offsets = new long[maxEvents];
        this.lengths = new int[maxEvents];
        this.removed = new boolean[maxEvents];
    }

    void add(final DirectBuffer from, final int base, final int length, final int partition, final long offset)
    {
        final int n = length;
        if (used + n > rows.capacity())
        {
            final UnsafeBuffer grown = new UnsafeBuffer(ByteBuffer.allocateDirect(
                (int)Math.min(Integer.MAX_VALUE - 64, Math.max(2L * rows.capacity(), (long)used + n))));
            grown.putBytes(0, rows, 0, used);
            rows = grown;
        }
        rows.putBytes(used, from, base, n);
        bases[size] = used;
        used += n;
        partitions[size] = partition;
        offsets[size] = offset;
        lengths[size] = n;
        removed[size] = false;
        size++;
        live++;
    }

    /** @return events added, removed ones included: positions run 0 until this. */
    int size()
    {
        return size;
    }

    /** @return events not removed. */
    int live()
    {
        return live;
    }

    UnsafeBuffer buffer()
    {
        return rows;
    }

    int base(final int row)
    {
        return bases[row];
    }

    int length(final int row)
    {
        return lengths[row];
    }

    int partition(final int row)
    {
        return partitions[row];
    }

    long offset(final int row)
    {
        return offsets[row];
    }

    boolean removed(final int row)
    {
        return removed[row];
    }

    void remove(final int row)
    {
        if (!removed[row])
        {
            removed[row] = true;
            live--;
        }
    }

    /** @return the position of the {@code n}th live event (0-based), or -1. */
    int live(final int n)
    {
        int seen = 0;
        for (int i = 0; i < size; i++)
        {
            if (!removed[i] && seen++ == n)
            {
                return i;
            }
        }
        return -1;
    }

    void clear()
    {
        size = 0;
        used = 0;
        live = 0;
    }
}

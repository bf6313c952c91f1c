package dev.dataforge.core.delivery;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Copies of the events of the batch being built, kept by the sink stage for sinks that can retry or split a failed
 * batch (the ring slots are reused before the batch commits). Preallocated for {@code maxEvents} events.
 * <pre>
 *   event i: | record bytes (recordLength) |      with partition[i], offset[i], length[i] beside
 * </pre>
 */
final class PendingEvents
{
    private final int recordLength;
    private final UnsafeBuffer rows;
    private final int[] partitions;
    private final long[] offsets;
    private final int[] lengths;
    private int size;

    PendingEvents(final int maxEvents, final int recordLength)
    {
        this.recordLength = recordLength;
        this.rows = new UnsafeBuffer(ByteBuffer.allocateDirect(maxEvents * recordLength));
        this.partitions = new int[maxEvents];
        this.offsets = new long[maxEvents];
        this.lengths = new int[maxEvents];
    }

    void add(final DirectBuffer from, final int base, final int length, final int partition, final long offset)
    {
        final int n = Math.min(length, recordLength);
        rows.putBytes(size * recordLength, from, base, n);
        partitions[size] = partition;
        offsets[size] = offset;
        lengths[size] = n;
        size++;
    }

    int size()
    {
        return size;
    }

    UnsafeBuffer buffer()
    {
        return rows;
    }

    int base(final int row)
    {
        return row * recordLength;
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

    void clear()
    {
        size = 0;
    }
}

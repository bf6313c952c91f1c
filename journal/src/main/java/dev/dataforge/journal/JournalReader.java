package dev.dataforge.journal;

import org.agrona.DirectBuffer;

/**
 * Reads journaled records in index order, for replay and recovery. Its position moves only when a read completes.
 */
public interface JournalReader extends AutoCloseable
{
    /** Called once per record read. */
    @FunctionalInterface
    interface RecordHandler
    {
        void onRecord(long index, int partition, long sourceOffset, DirectBuffer buffer, int offset, int length);
    }

    /**
     * Reads up to {@code limit} records.
     *
     * @return how many were read; 0 when the reader has reached the end for now.
     */
    int read(RecordHandler handler, int limit);

    @Override
    void close();
}

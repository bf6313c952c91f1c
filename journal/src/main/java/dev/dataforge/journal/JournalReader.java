package dev.dataforge.journal;

import org.agrona.DirectBuffer;

/**
 * Reads a journal's entries in index order from a position, following new entries as they are appended (a tail).
 * One thread at a time. The buffer handed to the handler is valid only during the call.
 */
public interface JournalReader extends AutoCloseable
{
    /** {@link #read}: the next entry is corrupt (its checksum does not match); {@link #corruption} says where. */
    int CORRUPT = -1;
    /** {@link #read}: the reader or its journal is closed. */
    int CLOSED = -2;

    /** Called once per entry read, on the reader's thread. */
    @FunctionalInterface
    interface EntryHandler
    {
        void onEntry(long index, EntryHeader header, DirectBuffer buffer, int offset, int length) throws Exception;
    }

    /**
     * Reads up to {@code limit} entries. Allocation-free. An entry whose handler throws is not consumed: the next
     * read starts with it again, and the exception propagates.
     *
     * @return how many entries were read (0: none yet), or {@link #CORRUPT} or {@link #CLOSED}.
     */
    int read(EntryHandler handler, int limit) throws Exception;

    /** @return the index of the last entry read, or the reader's start ({@code afterIndex}) before any. */
    long lastReadIndex();

    /** @return a description of the corrupt entry after a {@link #CORRUPT} read, else null. */
    String corruption();

    @Override
    void close();
}

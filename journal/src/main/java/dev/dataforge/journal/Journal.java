package dev.dataforge.journal;

import org.agrona.DirectBuffer;

/**
 * The delivery layer's log: every processed event is appended, in ring order, before any sink sees it; each sink
 * reads it at its own pace from its own position ({@link #reader}); recovery and replay read it again.
 * <p>
 * An entry is an {@link EntryHeader} and the event's bytes (layout: {@link EntryLayout}). Indices increase and are
 * never reused, but are not contiguous (a new roll cycle starts a new range): compare them, never count with them.
 * <p>
 * Threads: {@link #append} and {@link #flush} from one thread at a time (the journal stage); each reader from one
 * thread at a time; the queries ({@link #firstIndex}, {@link #lastIndex}, {@link #stats}, ...) and {@link #retain}
 * from any thread.
 */
public interface Journal extends AutoCloseable
{
    /** No entry: an empty journal's first and last index; "before the first entry" for {@link #reader}. */
    long NULL_INDEX = -1;
    /** {@link #append}: the journal holds {@code retention.size} bytes that a reader still needs; try again later. */
    long BACK_PRESSURED = -2;
    /** {@link #append}: the journal is closed. */
    long CLOSED = -3;

    /**
     * Appends one entry: the header and {@code length} bytes of {@code buffer} at {@code offset}. Allocation-free.
     * Durable as the {@link SyncPolicy} says.
     *
     * @return the entry's index, or {@link #BACK_PRESSURED} (nothing was written) or {@link #CLOSED}.
     */
    long append(EntryHeader header, DirectBuffer buffer, int offset, int length);

    /** The end of a batch of appends: {@link SyncPolicy#BATCH} forces what was appended to disk here. */
    void flush();

    /** @return a reader of the entries after {@code afterIndex} ({@link #NULL_INDEX}: from the first entry). */
    JournalReader reader(long afterIndex);

    /** @return the index of the oldest entry held, or {@link #NULL_INDEX} when empty. */
    long firstIndex();

    /** @return the index of the newest entry, or {@link #NULL_INDEX} when empty. */
    long lastIndex();

    /**
     * @return the index of the first entry whose ingest time is at or after {@code epochMillis}, or
     * {@link #NULL_INDEX} when there is none (ingest times are taken as non-decreasing).
     */
    long indexAtOrAfter(long epochMillis);

    /**
     * Deletes the oldest roll cycles that retention lets go (older than {@code retention.time}, or beyond
     * {@code retention.size}) and that hold no entry at or after {@code neededIndex}: what some reader still needs
     * is never deleted. {@link #BACK_PRESSURED} appends resume once the size is below {@code retention.size} again.
     *
     * @param neededIndex the oldest index any reader still needs ({@link Long#MAX_VALUE}: none).
     * @return how many cycles were deleted.
     */
    int retain(long neededIndex);

    /** @return size, cycles, first and last entries, as of now. */
    JournalStats stats();

    /** @return what opening the journal found at its tail: nothing, or a torn last entry that it cut. */
    TailRepair tailRepair();

    @Override
    void close();
}

package dev.dataforge.core.spi;

/**
 * Reads records from outside and moves them into the ring. Called from the source's one thread.
 */
public interface Source extends AutoCloseable
{
    /** Returned by {@link #poll} when a bounded source has nothing more, ever. */
    int END = -1;

    /** Connects; a failure here stops the pipeline before it starts, with the message. */
    void open() throws Exception;

    /**
     * Moves up to {@code limit} records into the ring.
     *
     * @return records published (0 when none are ready or the ring is full), or {@link #END}.
     */
    int poll(RecordPublisher publisher, int limit) throws Exception;

    /** Says whether this source reaches the end by itself (a file, a generator with a count). */
    default boolean isBounded()
    {
        return false;
    }

    /** A short description for the summary and the progress line. */
    default String describe()
    {
        return getClass().getSimpleName();
    }

    /**
     * Registers the engine's hook into partition assignments, before {@link #open()}; a source without partitions
     * that change ignores it.
     */
    default void partitionListener(final PartitionListener listener)
    {
    }

    /** @return the decoder of the records this source publishes raw, or null when it publishes none. */
    default RecordDecoder decoder()
    {
        return null;
    }

    /**
     * Records behind the newest per partition, for metrics; read from other threads, so return a snapshot the source
     * thread refreshes now and then (never compute it per record). Empty when the source has no such notion.
     */
    default java.util.Map<Integer, Long> lag()
    {
        return java.util.Map.of();
    }

    /** Field names seen in records but not in the schema (each counted once), for metrics. */
    default long newFields()
    {
        return 0;
    }

    @Override
    void close() throws Exception;
}

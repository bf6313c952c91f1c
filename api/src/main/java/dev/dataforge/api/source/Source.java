package dev.dataforge.api.source;

import java.util.Map;

/**
 * Reads events from outside and moves them into the ring. Called from the source's one thread.
 */
public interface Source extends AutoCloseable
{
    /** Returned by {@link #poll} when a bounded source has nothing more, ever. */
    int END = -1;

    /** Connects; a failure here stops the pipeline before it starts, with the message. */
    void open() throws Exception;

    /**
     * Moves up to {@code limit} events into the ring.
     *
     * @return events published (0 when none are ready or the ring is full), or {@link #END}.
     */
    int poll(EventPublisher publisher, int limit) throws Exception;

    /** Says whether this source reaches the end by itself (a file, a generator with a count). */
    default boolean isBounded()
    {
        return false;
    }

    /**
     * Asks the source to end ({@link #poll} returns {@link #END}) once it has read what there is when it starts, for
     * {@code mode: batch}; called before {@link #open()}.
     *
     * @return false when it cannot (it would run for ever): the engine then refuses the pipeline.
     */
    default boolean endAtCurrentEnd()
    {
        return isBounded();
    }

    /** A short description for the summary and the progress line. */
    default String describe()
    {
        return getClass().getSimpleName();
    }

    /**
     * Registers the engine's hook into partition assignments, before {@link #open()}. A source must tell it of every
     * partition it reads before it publishes an event of it, and let it seek each: that is how a restarted pipeline
     * resumes after the sink's checkpoints.
     */
    void partitionListener(PartitionListener listener);

    /**
     * @return how checkpoints name partition {@code partition} (as numbered in slots); thread-safe, called from the
     * sink stage's thread.
     */
    SourcePartition sourcePartition(int partition);

    /** @return true while the source holds partitions to read (a Kafka consumer with an assignment). */
    default boolean assigned()
    {
        return true;
    }

    /**
     * The sink committed these positions (partition number to last settled offset): a hint for tools that watch
     * the source (Kafka: the consumer group's committed offsets, so lag tools work), never read for recovery.
     * Called on the source's thread, at most about once a second.
     */
    default void committed(Map<Integer, Long> lastOffsets)
    {
    }

    /** @return the decoder of the records this source publishes raw, or null when it publishes none. */
    default RecordDecoder decoder()
    {
        return null;
    }

    /**
     * Events behind the newest per partition, for metrics; read from other threads, so return a snapshot the source
     * thread refreshes now and then (never compute it per event). Empty when the source has no such notion.
     */
    default Map<Integer, Long> lag()
    {
        return Map.of();
    }

    /** Field names seen in records but not in the schema (each counted once), for metrics. */
    default long newFields()
    {
        return 0;
    }

    /**
     * What this source offers the pipeline's other connectors (see {@code PipelineSource}): by default itself, when
     * it is a {@code type}. A Kafka source offers its consumer group to a Kafka sink this way.
     *
     * @return the feature, or null.
     */
    default <T> T feature(final Class<T> type)
    {
        return type.isInstance(this) ? type.cast(this) : null;
    }

    @Override
    void close() throws Exception;
}

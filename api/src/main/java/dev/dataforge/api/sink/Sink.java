package dev.dataforge.api.sink;

import org.agrona.DirectBuffer;

import java.util.List;

/**
 * Delivers events to a destination in batches. Called only from its sink stage's thread: {@link #append} for each
 * event of a batch (copy what you keep: the slot is reused after the batch commits), then {@link #commit} makes the whole
 * batch durable at once.
 */
public interface Sink extends AutoCloseable
{
    /** Connects and prepares the destination (creates the table); a failure stops the pipeline before it starts. */
    void open() throws Exception;

    /** Adds one event, read through the pipeline's layout from {@code buffer} at {@code base}. */
    void append(DirectBuffer buffer, int base) throws Exception;

    /** Makes every event appended since the last commit durable. */
    void commit() throws Exception;

    /**
     * Makes every event appended since the last commit durable together with the checkpoints, in one transaction.
     * A sink that cannot (see {@link #deliveryGuarantee()}) commits the rows and ignores the checkpoints.
     *
     * @param checkpoints one per source partition that this batch advanced.
     */
    default void commit(final List<Checkpoint> checkpoints) throws Exception
    {
        commit();
    }

    /** @return the checkpoints stored for {@code pipeline}, empty on a first start or for a sink that keeps none. */
    default List<Checkpoint> readCheckpoints(final String pipeline) throws Exception
    {
        return List.of();
    }

    /**
     * Drops every event appended since the last commit, after a failed append or commit, so that the batch can be
     * retried or split. A sink whose writes cannot be taken back must say so by throwing.
     */
    default void abort() throws Exception
    {
    }

    /** How the sink stage treats a failure of {@link #append} or {@link #commit}. */
    enum Failure
    {
        /** The destination is briefly unavailable (connection lost, timeout, deadlock): retry the batch. */
        TRANSIENT,
        /** The destination rejected one or more events (constraint, bad value): split the batch, dead-letter them. */
        ROW,
        /** Nothing can be done (authentication, missing table): stop the pipeline. */
        FATAL
    }

    /**
     * @return true when failed batches can be taken back with {@link #abort()} and written again: the sink stage
     * then keeps a copy of each pending event, to retry the batch or split it around rejected ones.
     */
    default boolean recoverable()
    {
        return false;
    }

    /** @return how to treat {@code failure}; by default every failure stops the pipeline. */
    default Failure classify(final Exception failure)
    {
        return Failure.FATAL;
    }

    /** @return "exactly-once" for sinks that commit in a transaction with their checkpoint, else "at-least-once". */
    default String deliveryGuarantee()
    {
        return "at-least-once";
    }

    /** A short description for the summary and the progress line. */
    default String describe()
    {
        return getClass().getSimpleName();
    }

    @Override
    void close() throws Exception;
}

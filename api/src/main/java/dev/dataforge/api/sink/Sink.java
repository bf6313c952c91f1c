package dev.dataforge.api.sink;

import dev.dataforge.api.deadletter.DeadLetterQueue;
import dev.dataforge.api.source.SourcePartition;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Delivers events to a destination in batches. Called only from its sink stage's thread: {@link #append} for each
 * event of a batch (copy what you keep: the slot is reused after the batch commits), then {@link #commit} makes the
 * whole batch durable at once, with its checkpoints. Recovery reads the checkpoints through
 * {@link #checkpointStore()} from another thread, on another connection.
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
     * Makes every event appended since the last commit durable together with the checkpoints, in one transaction,
     * and only if each checkpoint's epoch is still the partition's in the destination.
     *
     * @param checkpoints one per source partition that this batch advanced; the list is the engine's and is reused,
     *                    so read it during the call only. A sink that keeps this interface's implementation (the
     *                    checkpoints ignored) is handed an empty list and none are built for it.
     * @throws FencedException when another instance has claimed some of the partitions: nothing was committed.
     * @throws RejectedEventsException when the destination rejected events the sink can name: nothing was committed.
     */
    default void commit(final List<Checkpoint> checkpoints) throws Exception
    {
        commit();
    }

    /**
     * @return the checkpoints stored for {@code pipeline}, empty on a first start or for a sink that keeps none. The
     * sink stage reads them on its own thread, after a commit whose outcome it does not know (the connection was
     * lost during COMMIT), to learn whether the batch is in.
     */
    default List<Checkpoint> readCheckpoints(final String pipeline) throws Exception
    {
        return List.of();
    }

    /**
     * @return the checkpoints of {@code partitions}, in their order ({@link Checkpoint#NONE} where none is stored),
     * as committed: a commit still settling in the destination is waited for, never read as absent. The sink stage
     * reads them after a commit whose outcome it does not know.
     */
    default List<Checkpoint> readCheckpoints(final String pipeline, final List<SourcePartition> partitions)
        throws Exception
    {
        final List<Checkpoint> stored = readCheckpoints(pipeline);
        final List<Checkpoint> out = new ArrayList<>(partitions.size());
        for (final SourcePartition sp : partitions)
        {
            Checkpoint found = new Checkpoint(pipeline, sp, Checkpoint.NONE, -1, 0);
            for (final Checkpoint c : stored)
            {
                if (c.source().equals(sp.source()) && c.partition() == sp.partition())
                {
                    found = c;
                }
            }
            out.add(found);
        }
        return out;
    }

    /**
     * @return where recovery claims partitions and reads their checkpoints, on a connection of its own (called once,
     * after {@link #open()}); null for a sink that keeps no checkpoints: its partitions start where the source's
     * {@code start} says, every time.
     */
    default CheckpointStore checkpointStore() throws Exception
    {
        return null;
    }

    /**
     * @return true when the commit also commits the source's positions where the source keeps them (a Kafka sink on
     * the Kafka source's cluster, in its transaction): the engine then sends the source no lag hints.
     */
    default boolean commitsSourceOffsets()
    {
        return false;
    }

    /**
     * Offers the sink the pipeline's dead-letter queue, before {@link #open()}.
     *
     * @return true when the sink writes that queue's entries in its own transactions (a Kafka sink and a dead-letter
     * topic on its cluster; a SQL sink and {@code dead_letter: {type: sink}}): the sink stage then writes each batch's
     * dead letters just before committing it, and a batch and its dead letters commit together or not at all.
     */
    default boolean enlist(final DeadLetterQueue queue)
    {
        return false;
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
        /** Another instance owns some of the batch's partitions now ({@link FencedException}): drop their events. */
        FENCED,
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

    /**
     * @return how to treat {@code failure}; by default every failure stops the pipeline. The sink stage treats a
     * {@link FencedException} as {@link Failure#FENCED} and a {@link RejectedEventsException} as
     * {@link Failure#ROW} without asking.
     */
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

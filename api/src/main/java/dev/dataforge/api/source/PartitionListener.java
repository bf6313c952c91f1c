package dev.dataforge.api.source;

import java.util.Collection;

/**
 * The engine's hook into a partitioned source's assignments (Kafka's rebalances; a generator's one partition at
 * open): told which partitions the source now reads and which it gave up, on the source's thread, and able to set
 * where each assigned partition starts. Recovery uses it: every assigned partition resumes after its checkpoint in
 * the sink. Partitions are numbered as in the slots ({@link Source#sourcePartition} names them).
 */
public interface PartitionListener
{
    /** Where assigned partitions start reading. */
    interface Seeker
    {
        /** Starts {@code partition} at {@code offset} (the next record to read). */
        void seek(int partition, long offset);

        /** Starts {@code partition} where the source starts one that has no checkpoint ({@code start}). */
        void seekToStart(int partition);

        /**
         * The checkpoint of {@code partition} belongs to another incarnation of it ({@code checkpointedId}, not
         * the current one: a Kafka topic deleted and created again). The source reports it and, as its
         * {@code on_topic_reset} says, starts the partition from its beginning or fails.
         */
        void recreated(int partition, String checkpointedId);
    }

    /** These partitions are now this source's; events already read from them are not affected. */
    void assigned(Collection<Integer> partitions, Seeker seeker) throws Exception;

    /**
     * These partitions are no longer this source's (a rebalance, or the source closing). When this returns, no
     * event of theirs is committed any more by this pipeline.
     */
    void revoked(Collection<Integer> partitions);
}

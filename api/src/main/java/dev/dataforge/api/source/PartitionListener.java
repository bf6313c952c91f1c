package dev.dataforge.api.source;

import java.util.Collection;

/**
 * The engine's hook into a partitioned source's assignments (Kafka's rebalances): told which partitions the source
 * now reads and which it gave up, on the source's thread, and able to set where an assigned partition starts
 * (recovery from the sink's checkpoints builds on this). Partitions are numbered as in checkpoints.
 */
public interface PartitionListener
{
    /** Where assigned partitions start reading. */
    interface Seeker
    {
        /** Starts {@code partition} at {@code offset} (the next record to read). */
        void seek(int partition, long offset);
    }

    /** These partitions are now this source's; records already read from them are not affected. */
    void assigned(Collection<Integer> partitions, Seeker seeker);

    /** These partitions are no longer this source's (a rebalance, or the source closing). */
    void revoked(Collection<Integer> partitions);
}

package dev.dataforge.api.sink;

/**
 * How far a pipeline has delivered one source partition: the last source offset whose event is settled (delivered,
 * filtered or dead-lettered) and that event's journal index (-1 without a journal). A transactional sink stores
 * these rows in the same transaction as the batch they close, and recovery starts after them.
 *
 * @param pipeline  the pipeline's name: several pipelines may share one destination.
 * @param source    the source's name for the partition, e.g. the Kafka topic; the source type for a generator.
 * @param partition the partition number (0 for unpartitioned sources).
 * @param offset    the last settled source offset in that partition.
 */
public record Checkpoint(String pipeline, String source, int partition, long offset, long journalIndex)
{
}

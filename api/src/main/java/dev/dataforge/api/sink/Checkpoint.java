package dev.dataforge.api.sink;

import dev.dataforge.api.source.SourcePartition;

/**
 * How far a pipeline has delivered one source partition: the last source offset whose event is settled (delivered,
 * filtered or dead-lettered) and that event's journal index (-1 without a journal). A transactional sink stores these
 * rows in the same transaction as the batch they close, and recovery starts after them.
 *
 * @param pipeline  the pipeline's name: several pipelines may share one destination.
 * @param source    the source's name for the partition: the Kafka topic; the source type for a generator.
 * @param partition the partition's number in that source (0 for unpartitioned sources).
 * @param sourceId  the id of the partition's incarnation (a Kafka topic id), empty where the source has none.
 * @param offset    the last settled source offset in that partition; -1 when nothing is settled yet.
 * @param epoch     the fencing epoch of the instance that wrote it: a claim ({@link CheckpointStore#claim}) raises
 *                  it, and a commit with an older one is refused ({@link FencedException}).
 */
public record Checkpoint(String pipeline, String source, int partition, String sourceId, long offset,
    long journalIndex, long epoch)
{
    /** The offset of a partition with nothing settled yet. */
    public static final long NONE = -1;

    public Checkpoint
    {
        sourceId = sourceId == null ? "" : sourceId;
    }

    /** A checkpoint of {@code at} in {@code pipeline}. */
    public Checkpoint(final String pipeline, final SourcePartition at, final long offset, final long journalIndex,
        final long epoch)
    {
        this(pipeline, at.source(), at.partition(), at.sourceId(), offset, journalIndex, epoch);
    }

    /** @return true when this is the checkpoint of the same partition as {@code other}. */
    public boolean samePartition(final Checkpoint other)
    {
        return pipeline.equals(other.pipeline) && source.equals(other.source) && partition == other.partition;
    }
}

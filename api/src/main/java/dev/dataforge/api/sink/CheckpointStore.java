package dev.dataforge.api.sink;

import dev.dataforge.api.source.SourcePartition;

import java.util.List;

/**
 * A sink's checkpoints as recovery reads them: on every assignment of source partitions, from the source's thread,
 * on a connection of its own (never the sink stage's). Claiming a partition raises its fencing epoch in the
 * destination, in one transaction with reading its checkpoint, so that a commit from an instance that lost it
 * (a zombie) is refused from then on.
 */
public interface CheckpointStore extends AutoCloseable
{
    /**
     * Takes {@code partitions} over for this instance.
     *
     * @return their checkpoints, in the order asked, each with the epoch this instance now commits with; the offset
     * is {@link Checkpoint#NONE} for a partition with nothing settled yet.
     */
    List<Checkpoint> claim(String pipeline, List<SourcePartition> partitions) throws Exception;

    @Override
    void close() throws Exception;
}

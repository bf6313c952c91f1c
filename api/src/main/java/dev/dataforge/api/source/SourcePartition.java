package dev.dataforge.api.source;

/**
 * A source partition as checkpoints name it: the source's name for it (a Kafka topic), its number there, and the
 * id of the incarnation it belongs to (a Kafka topic's id: a topic deleted and created again under the same name has
 * a new one, so its old checkpoints are recognised as someone else's), empty where the source has no such notion.
 */
public record SourcePartition(String source, int partition, String sourceId)
{
    public SourcePartition
    {
        sourceId = sourceId == null ? "" : sourceId;
    }
}

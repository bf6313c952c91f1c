package dev.dataforge.connectors.kafka;

import org.apache.kafka.common.TopicPartition;

import java.util.List;

/**
 * How a Kafka source numbers its partitions in checkpoints, dead letters and metrics: a topic's partition as is
 * when it reads one topic, {@code topic index * 1000 + partition} when it reads several.
 */
final class KafkaPartitions
{
    /** With several topics, partition numbers are topic index * this + partition. */
    static final int PER_TOPIC = 1000;

    private KafkaPartitions()
    {
    }

    /** @return the topic partition that partition number {@code index} of a source reading {@code topics} stands for. */
    static TopicPartition of(final List<String> topics, final int index)
    {
        return topics.size() == 1 ? new TopicPartition(topics.get(0), index) :
            new TopicPartition(topics.get(index / PER_TOPIC), index % PER_TOPIC);
    }

    /** @return the number of {@code topic}'s {@code partition} for a source reading {@code topics}. */
    static int index(final List<String> topics, final String topic, final int partition)
    {
        if (topics.size() == 1)
        {
            return partition;
        }
        if (partition >= PER_TOPIC)
        {
            throw new IllegalStateException("topic " + topic + " has a partition " + partition + ": reading " +
                "several topics supports up to " + PER_TOPIC + " partitions each");
        }
        final int i = topics.indexOf(topic);
        if (i < 0)
        {
            throw new IllegalStateException("record of topic " + topic + ", not one of " + topics);
        }
        return i * PER_TOPIC + partition;
    }
}

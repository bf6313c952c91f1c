package dev.dataforge.connectors.kafka;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a Kafka sink finds the consumer group of the Kafka source of its pipeline, to commit the source's offsets in
 * its own transaction ({@code sendOffsetsToTransaction}): the source registers when it opens and publishes its
 * group metadata (generation and member id) after every rebalance, on its own thread, since a consumer must not be
 * touched from another.
 */
final class KafkaGroups
{
    /** With several topics, partition numbers are topic index * this + partition. */
    static final int PARTITIONS_PER_TOPIC = 1000;

    /** A source's topics and its latest group metadata (null until the first assignment). */
    static final class Group
    {
        final java.util.List<String> topics;
        final String brokers;
        volatile ConsumerGroupMetadata metadata;

        Group(final java.util.List<String> topics, final String brokers)
        {
            this.topics = java.util.List.copyOf(topics);
            this.brokers = brokers;
        }

        /** @return the topic partition a checkpoint's partition number stands for. */
        org.apache.kafka.common.TopicPartition partition(final int index)
        {
            return KafkaGroups.partition(topics, index);
        }
    }

    /** @return the topic partition that partition number {@code index} of a source reading {@code topics} stands for. */
    static org.apache.kafka.common.TopicPartition partition(final java.util.List<String> topics, final int index)
    {
        return topics.size() == 1 ? new org.apache.kafka.common.TopicPartition(topics.get(0), index) :
            new org.apache.kafka.common.TopicPartition(topics.get(index / PARTITIONS_PER_TOPIC),
            index % PARTITIONS_PER_TOPIC);
    }

    private static final Map<String, Group> BY_PIPELINE = new ConcurrentHashMap<>();

    private KafkaGroups()
    {
    }

    static Group register(final String pipeline, final java.util.List<String> topics, final String brokers)
    {
        final Group g = new Group(topics, brokers);
        BY_PIPELINE.put(pipeline, g);
        return g;
    }

    static void unregister(final String pipeline, final Group group)
    {
        BY_PIPELINE.remove(pipeline, group);
    }

    /** @return the Kafka source's group of {@code pipeline}, or null when its source is not Kafka. */
    static Group of(final String pipeline)
    {
        return BY_PIPELINE.get(pipeline);
    }
}

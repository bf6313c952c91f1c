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
    /** A source's topic and its latest group metadata (null until the first assignment). */
    static final class Group
    {
        final String topic;
        final String brokers;
        volatile ConsumerGroupMetadata metadata;

        Group(final String topic, final String brokers)
        {
            this.topic = topic;
            this.brokers = brokers;
        }
    }

    private static final Map<String, Group> BY_PIPELINE = new ConcurrentHashMap<>();

    private KafkaGroups()
    {
    }

    static Group register(final String pipeline, final String topic, final String brokers)
    {
        final Group g = new Group(topic, brokers);
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

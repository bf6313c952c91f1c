package dev.dataforge.connectors.kafka;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a Kafka source offers the pipeline's other Kafka connectors, handed to them by the engine
 * ({@code PipelineSource.feature(KafkaSourceGroup.class)}): its cluster, how its partition numbers map to topic
 * partitions, and its consumer group's metadata (generation and member id), published on the source's thread after
 * every rebalance. A Kafka sink commits the source's offsets in its own transaction with it; a Kafka dead-letter
 * queue writes to the source's cluster.
 */
interface KafkaSourceGroup
{
    /** @return the bootstrap servers the source reads (the embedded broker's, once started). */
    String brokers();

    /** @return the topic partition that checkpoint partition number {@code partition} stands for. */
    TopicPartition topicPartition(int partition);

    /** @return the group's metadata as of the last assignment, or null before the first. */
    ConsumerGroupMetadata groupMetadata();
}

package dev.dataforge.connectors.kafka;

import dev.dataforge.core.config.ConfigException;
import dev.dataforge.core.config.DeadLetterConfig;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.runtime.DeadLetterQueue;
import dev.dataforge.core.spi.DeadLetterQueueFactory;

/**
 * {@code dead_letter: {type: kafka}}: dead letters to a topic; {@code topic} defaults to the Kafka source's topic
 * with {@code .dlq} appended, {@code brokers} to the source's (the embedded broker included).
 */
public final class KafkaDeadLetterQueueFactory implements DeadLetterQueueFactory
{
    @Override
    public String type()
    {
        return "kafka";
    }

    private static boolean kafkaSource(final PipelinePlan plan)
    {
        return "kafka".equals(plan.config().source().type());
    }

    @Override
    public void validate(final DeadLetterConfig config, final PipelinePlan plan)
    {
        if (!kafkaSource(plan) && (config.topic() == null || config.brokers() == null))
        {
            throw new ConfigException(config.location(), "dead_letter type kafka needs 'topic' and 'brokers' " +
                "(they default to the source's only when the source is kafka)");
        }
    }

    @Override
    public DeadLetterQueue open(final DeadLetterConfig config, final PipelinePlan plan)
    {
        final String sourceTopic = kafkaSource(plan) ? plan.sourceConfig().list("topic").get(0) : null;
        final String topic = config.topic() != null ? config.topic() : sourceTopic + ".dlq";
        String brokers = config.brokers();
        if (brokers == null && kafkaSource(plan) && !KafkaSourceFactory.EMBEDDED.equals(
            plan.sourceConfig().string("brokers")))
        {
            brokers = plan.sourceConfig().string("brokers");
        }
        return new KafkaDeadLetterQueue(plan.name(), brokers, topic, sourceTopic, config.properties(),
            plan.layout());
    }
}

package dev.dataforge.connectors.kafka;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.deadletter.DeadLetterQueue;
import dev.dataforge.api.deadletter.DeadLetterQueueFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static dev.dataforge.api.config.ConfigOption.Type.MAP;
import static dev.dataforge.api.config.ConfigOption.Type.STRING;

/**
 * {@code dead_letter: {type: kafka}}: dead letters to a topic; {@code topic} defaults to the Kafka source's topic
 * with {@code .dead-letters} appended, {@code brokers} to the source's (the embedded broker included).
 */
public final class KafkaDeadLetterQueueFactory implements DeadLetterQueueFactory
{
    /** What the default dead-letter topic appends to the source's topic. */
    static final String TOPIC_SUFFIX = ".dead-letters";

    private static final ConfigSpec SPEC = new ConfigSpec("kafka",
        "Dead letters as records of a Kafka topic: the value is the original record (or the event as JSON), " +
        "headers dataforge.reason, .stage, .pipeline, .source.topic, .source.partition, .source.offset and .time. " +
        "Acknowledged by every in-sync replica before the sink commits the batch they came from.",
        List.of(
            ConfigOption.of("topic", STRING, "the dead-letter topic; default: the Kafka source's topic + " +
                "'" + TOPIC_SUFFIX + "'").example("user-events" + TOPIC_SUFFIX),
            ConfigOption.of("brokers", STRING, "bootstrap servers; default: the Kafka source's").example(
                "${KAFKA_BROKERS}"),
            ConfigOption.of("properties", MAP, "further producer properties (security.protocol, sasl.*, ssl.*, ...)")
                .example("{security.protocol: SASL_SSL}")));

    @Override
    public String type()
    {
        return "kafka";
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    private static boolean kafkaSource(final ConnectorContext context)
    {
        return "kafka".equals(context.source().type());
    }

    @Override
    public void check(final ConnectorContext context)
    {
        final ConfigValues c = context.config();
        if (!kafkaSource(context) && (!c.isSet("topic") || !c.isSet("brokers")))
        {
            throw new ConfigException(c.location(c.isSet("topic") ? "brokers" : "topic"), c.where() + ": needs " +
                "'topic' and 'brokers' (they default to the source's only when the source is kafka)");
        }
    }

    /** @return the source's first topic, when the source is Kafka; else null. */
    private static String sourceTopic(final ConnectorContext context)
    {
        return kafkaSource(context) ? context.source().config().list("topic").get(0) : null;
    }

    private static String topic(final ConnectorContext context)
    {
        final ConfigValues c = context.config();
        return c.isSet("topic") ? c.string("topic") : sourceTopic(context) + TOPIC_SUFFIX;
    }

    /**
     * @return the client properties: the configured ones and brokers, else the running Kafka source's brokers (an
     * embedded broker is known only once the source is created).
     */
    private static Properties client(final ConnectorContext context)
    {
        final ConfigValues c = context.config();
        final Properties p = new Properties();
        c.map("properties").forEach(p::setProperty);
        String brokers = c.isSet("brokers") ? c.string("brokers") : null;
        if (brokers == null)
        {
            final KafkaSourceGroup source = context.source().feature(KafkaSourceGroup.class);
            if (source == null)
            {
                throw new IllegalStateException(c.where() + ": no 'brokers' set and no running Kafka source to " +
                    "take them from");
            }
            brokers = source.brokers();
        }
        p.setProperty("bootstrap.servers", brokers);
        return p;
    }

    @Override
    public DeadLetterQueue open(final ConnectorContext context)
    {
        return new KafkaDeadLetterQueue(() -> client(context), topic(context), sourceTopic(context));
    }

    @Override
    public boolean read(final ConnectorContext context, final Reader reader) throws Exception
    {
        return KafkaTopics.readAll(client(context), topic(context), r -> reader.accept(KafkaDeadLetterQueue.read(r)));
    }

    @Override
    public Redrive redrive(final ConnectorContext context)
    {
        final Properties p = client(context);
        final String topic = context.config().string("topic");
        if (topic == null)
        {
            throw new IllegalArgumentException("re-driving needs the topic to write to");
        }
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("enable.idempotence", "true");
        final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        final String where = "kafka topic " + topic + " on " + p.getProperty("bootstrap.servers");
        return new Redrive()
        {
            @Override
            public void send(final byte[] payload) throws Exception
            {
                producer.send(new ProducerRecord<>(topic, payload)).get();
            }

            @Override
            public String describe()
            {
                return where;
            }

            @Override
            public void close()
            {
                producer.close(Duration.ofSeconds(10));
            }
        };
    }
}

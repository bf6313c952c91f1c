package dev.dataforge.connectors.kafka;

import dev.dataforge.codec.JsonRecordWriter;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.codec.generator.GeneratedEvents;
import dev.dataforge.codec.generator.GeneratorSettings;
import dev.dataforge.connectors.kafka.embedded.LoadProducer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Test data for topics: the generator's events as JSON, keyed by user. */
final class TestTopics
{
    private TestTopics()
    {
    }

    /** Produces {@code events} generated events (generator seed {@code seed}) and waits until all are acknowledged. */
    static void produceJson(final String brokers, final String topic, final int events, final long seed)
        throws Exception
    {
        produceJson(brokers, topic, GeneratorSettings.defaults(seed, 0, events));
    }

    /** Produces the events of {@code settings} and waits until all are acknowledged. */
    static void produceJson(final String brokers, final String topic, final GeneratorSettings settings)
        throws Exception
    {
        final RecordLayout layout = SbeLayouts.userEvent();
        final JsonRecordWriter json = new JsonRecordWriter(layout);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producer(brokers)))
        {
            GeneratedEvents.forEach(settings, (event, base) ->
                producer.send(new ProducerRecord<>(topic, Long.toString(layout.field("user_id").getLong(event,
                    base)).getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOf(json.array(),
                    json.write(event, base)))));
            producer.flush();
        }
    }

    /** @return properties of a test producer that keeps per-partition order (see LoadProducer). */
    static Properties producer(final String brokers)
    {
        return LoadProducer.orderedProducer(brokers);
    }

    /** @return every committed record of every partition of the topic, as of now, partition by partition. */
    static List<ConsumerRecord<byte[], byte[]>> readCommitted(final String brokers, final String topic)
        throws Exception
    {
        final Properties p = new Properties();
        p.put("bootstrap.servers", brokers);
        p.put("isolation.level", "read_committed");
        final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        KafkaTopics.readAll(p, topic, out::add);
        return out;
    }

    /** Produces each value (UTF-8, no key) in order and waits until all are acknowledged. */
    static void produceValues(final String brokers, final String topic, final List<String> values) throws Exception
    {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producer(brokers)))
        {
            for (final String v : values)
            {
                producer.send(new ProducerRecord<>(topic, v.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }
}

package dev.dataforge.connectors.kafka;

import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.core.format.JsonRecordWriter;
import dev.dataforge.core.source.GeneratedEvents;
import dev.dataforge.core.source.GeneratorSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
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
        final Properties p = new Properties();
        p.put("bootstrap.servers", brokers);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        // one request in flight keeps per-partition order without the idempotent producer, whose sequence state
        // can wedge (OUT_OF_ORDER_SEQUENCE_NUMBER retried forever) when a batch times out on a loaded 2-core box
        p.put("enable.idempotence", "false");
        p.put("max.in.flight.requests.per.connection", "1");
        p.put("acks", "all");
        p.put("linger.ms", "5");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p))
        {
            GeneratedEvents.forEach(settings, (event, base) ->
                producer.send(new ProducerRecord<>(topic, Long.toString(layout.field("user_id").getLong(event,
                    base)).getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOf(json.array(),
                    json.write(event, base)))));
            producer.flush();
        }
    }
}

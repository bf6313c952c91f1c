package dev.dataforge.connectors.kafka;

import dev.dataforge.codec.RecordLayout;
import dev.dataforge.core.format.JsonRecordWriter;
import dev.dataforge.core.runtime.DeadLetterQueue;
import dev.dataforge.core.runtime.EventSlot;
import org.agrona.DirectBuffer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

/**
 * Dead letters as records of a Kafka topic. The value is what can be re-driven: a record the source could not
 * decode keeps its original bytes, any other is its event as JSON. Headers carry the rest: {@code dataforge.reason},
 * {@code dataforge.stage}, {@code dataforge.pipeline}, {@code dataforge.source.topic}, {@code dataforge.source.partition},
 * {@code dataforge.source.offset} and {@code dataforge.time} (ISO-8601). Entries are durable when {@link #flush()}
 * returns (every send acknowledged by all in-sync replicas), which the sink stage calls before it commits: a
 * dead letter is never lost, though a crash between the two can write it twice.
 */
final class KafkaDeadLetterQueue implements DeadLetterQueue
{
    static final String REASON = "dataforge.reason";
    static final String STAGE = "dataforge.stage";
    static final String PIPELINE = "dataforge.pipeline";
    static final String SOURCE_TOPIC = "dataforge.source.topic";
    static final String SOURCE_PARTITION = "dataforge.source.partition";
    static final String SOURCE_OFFSET = "dataforge.source.offset";
    static final String TIME = "dataforge.time";

    private final String pipeline;
    private final String brokers;
    private final String topic;
    private final String sourceTopic;
    private final Map<String, String> properties;
    private final JsonRecordWriter writer;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();
    private KafkaProducer<byte[], byte[]> producer;
    private String resolvedBrokers;

    /**
     * @param brokers bootstrap servers, or null for those of the pipeline's Kafka source (known once it opened,
     * which matters for an embedded broker).
     */
    KafkaDeadLetterQueue(final String pipeline, final String brokers, final String topic, final String sourceTopic,
        final Map<String, String> properties, final RecordLayout layout)
    {
        this.pipeline = pipeline;
        this.brokers = brokers;
        this.topic = topic;
        this.sourceTopic = sourceTopic;
        this.properties = properties;
        this.writer = new JsonRecordWriter(layout);
    }

    private void open() throws Exception
    {
        resolvedBrokers = brokers;
        if (resolvedBrokers == null)
        {
            final KafkaGroups.Group source = KafkaGroups.of(pipeline);
            if (source == null)
            {
                throw new IllegalStateException("dead_letter type kafka: no brokers set and no Kafka source to " +
                    "take them from");
            }
            resolvedBrokers = source.brokers;
        }
        final Properties p = new Properties();
        p.putAll(properties);
        p.put("bootstrap.servers", resolvedBrokers);
        KafkaTopics.createUnlessExists(p, new NewTopic(topic, 1, (short)-1));
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.putIfAbsent("acks", "all");
        p.putIfAbsent("enable.idempotence", "true");
        producer = new KafkaProducer<>(p);
    }

    @Override
    public void write(final EventSlot slot, final DirectBuffer buffer) throws Exception
    {
        if (producer == null)
        {
            open();
        }
        final byte[] value = "source".equals(slot.deadLetterStage()) ? slot.sourceBytes(buffer) :
            java.util.Arrays.copyOf(writer.array(), writer.write(buffer, slot.base()));
        final RecordHeaders headers = new RecordHeaders();
        header(headers, REASON, slot.deadLetterReason());
        header(headers, STAGE, slot.deadLetterStage());
        header(headers, PIPELINE, pipeline);
        header(headers, SOURCE_TOPIC, sourceTopic);
        header(headers, SOURCE_PARTITION, Integer.toString(slot.partition()));
        header(headers, SOURCE_OFFSET, Long.toString(slot.sourceOffset()));
        header(headers, TIME, Instant.now().toString());
        pending.add(producer.send(new ProducerRecord<>(topic, null, null, null, value, headers)));
    }

    private static void header(final RecordHeaders headers, final String key, final String value)
    {
        if (value != null)
        {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void flush() throws Exception
    {
        if (producer == null)
        {
            return;
        }
        producer.flush();
        try
        {
            for (final Future<RecordMetadata> f : pending)
            {
                f.get();
            }
        }
        finally
        {
            pending.clear();
        }
    }

    @Override
    public String describe()
    {
        return "kafka topic " + topic + (resolvedBrokers != null ? " on " + resolvedBrokers : brokers != null ?
            " on " + brokers : "");
    }

    @Override
    public void close() throws Exception
    {
        if (producer != null)
        {
            try
            {
                flush();
            }
            finally
            {
                producer.close(java.time.Duration.ofSeconds(10));
                producer = null;
            }
        }
    }
}

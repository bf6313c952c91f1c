package dev.dataforge.connectors.kafka;

import dev.dataforge.api.deadletter.DeadLetter;
import dev.dataforge.api.deadletter.DeadLetterQueue;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Dead letters as records of a Kafka topic. The value is what can be re-driven: a record the source could not
 * decode keeps its original bytes, any other is its event as JSON. Headers carry the rest: {@code dataforge.reason},
 * {@code dataforge.stage}, {@code dataforge.pipeline}, {@code dataforge.source.topic},
 * {@code dataforge.source.partition}, {@code dataforge.source.offset} and {@code dataforge.time} (ISO-8601). Entries
 * are durable when {@link #flush()} returns (every send acknowledged by all in-sync replicas), which the sink stage
 * calls before it commits: a dead letter is never lost, though a crash between the two can write it twice. With a
 * Kafka sink on the same cluster the entries go in the sink's transactions instead: exactly once.
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

    private final Supplier<Properties> client;
    private final String topic;
    private final String sourceTopic;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();
    private KafkaProducer<byte[], byte[]> producer;
    private String brokers;
    private KafkaSink sink;

    /**
     * @param client the client properties, bootstrap servers included; asked for on the first entry, as the
     * source's brokers (an embedded broker's) may be known only once the pipeline runs.
     */
    KafkaDeadLetterQueue(final Supplier<Properties> client, final String topic, final String sourceTopic)
    {
        this.client = client;
        this.topic = topic;
        this.sourceTopic = sourceTopic;
    }

    /**
     * Joins the transactions of a Kafka sink on the same cluster: entries are then sent in the sink's transaction.
     *
     * @return false when this queue's topic is on another cluster.
     */
    boolean joins(final KafkaSink transactional, final String sinkBrokers)
    {
        brokers = client.get().getProperty("bootstrap.servers");
        if (!brokers.equals(sinkBrokers))
        {
            return false;
        }
        sink = transactional;
        return true;
    }

    /** Creates the topic unless it exists (the joined sink calls it when it opens). */
    void createTopic() throws Exception
    {
        KafkaTopics.createUnlessExists(client.get(), new NewTopic(topic, 1, (short)-1));
    }

    private void open() throws Exception
    {
        final Properties p = client.get();
        brokers = p.getProperty("bootstrap.servers");
        KafkaTopics.createUnlessExists(p, new NewTopic(topic, 1, (short)-1));
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.putIfAbsent("acks", "all");
        p.putIfAbsent("enable.idempotence", "true");
        producer = new KafkaProducer<>(p);
    }

    @Override
    public void write(final DeadLetter letter) throws Exception
    {
        if (producer == null && sink == null)
        {
            open();
        }
        final RecordHeaders headers = new RecordHeaders();
        header(headers, REASON, letter.reason());
        header(headers, STAGE, letter.stage());
        header(headers, PIPELINE, letter.pipeline());
        header(headers, SOURCE_TOPIC, sourceTopic);
        header(headers, SOURCE_PARTITION, Integer.toString(letter.partition()));
        header(headers, SOURCE_OFFSET, Long.toString(letter.offset()));
        header(headers, TIME, letter.time().toString());
        if (sink != null)
        {
            sink.sendDeadLetter(topic, letter.payload(), headers);
            return;
        }
        pending.add(producer.send(new ProducerRecord<>(topic, null, null, null, letter.payload(), headers)));
    }

    private static void header(final RecordHeaders headers, final String key, final String value)
    {
        if (value != null)
        {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** @return the dead letter a record of a dead-letter topic holds. */
    static DeadLetter read(final ConsumerRecord<byte[], byte[]> r)
    {
        final String stage = header(r, STAGE);
        final String partition = header(r, SOURCE_PARTITION);
        final String offset = header(r, SOURCE_OFFSET);
        final String time = header(r, TIME);
        Instant at;
        try
        {
            at = Instant.parse(time);
        }
        catch (final RuntimeException unparsable)
        {
            at = Instant.ofEpochMilli(r.timestamp());
        }
        return new DeadLetter(at, header(r, PIPELINE), stage, header(r, REASON),
            partition == null ? -1 : Integer.parseInt(partition), offset == null ? -1 : Long.parseLong(offset),
            DeadLetter.SOURCE_STAGE.equals(stage), r.value() == null ? new byte[0] : r.value());
    }

    private static String header(final ConsumerRecord<byte[], byte[]> r, final String key)
    {
        final Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
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
        return "kafka topic " + topic + (brokers != null ? " on " + brokers : "") + (sink != null ?
            ", in the Kafka sink's transactions" : "");
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
                producer.close(Duration.ofSeconds(10));
                producer = null;
            }
        }
    }
}

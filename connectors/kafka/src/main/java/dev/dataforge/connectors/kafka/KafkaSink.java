package dev.dataforge.connectors.kafka;

import dev.dataforge.api.PipelineSource;
import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;
import dev.dataforge.codec.JsonRecordWriter;
import dev.dataforge.codec.RecordLayout;
import org.agrona.DirectBuffer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * A transactional producer. The first row of a batch begins a transaction; {@link #commit(List)} waits for every
 * send, writes one record per checkpoint (key {@code pipeline/source/partition}, value {@code offset,journalIndex})
 * to the compacted checkpoint topic, and commits the transaction; {@link #abort()} aborts it, so a
 * {@code read_committed} consumer sees each batch once or not at all.
 * <p>
 * When the pipeline's source is Kafka on the same cluster, the source's offsets (last settled offset + 1 per
 * partition) are committed to its consumer group in the same transaction ({@code sendOffsetsToTransaction}, with
 * the group's generation, so a member that lost its partitions in a rebalance is fenced): output records, offsets
 * and checkpoints become visible together or not at all, and a restarted pipeline resumes where the last committed
 * transaction ended.
 */
final class KafkaSink implements Sink
{
    private final Properties producerProperties;
    private final String topic;
    private final String checkpointTopic;
    private final boolean sbe;
    private final Field key;
    private final RecordLayout layout;
    private final JsonRecordWriter json;
    private final List<Future<?>> sends = new ArrayList<>();
    private final PipelineSource source;
    private KafkaProducer<byte[], byte[]> producer;
    private boolean inTransaction;
    private boolean warnedOtherCluster;

    KafkaSink(final Properties producerProperties, final String topic, final String checkpointTopic,
        final boolean sbe, final Field key, final RecordLayout layout, final PipelineSource source)
    {
        this.source = source;
        this.producerProperties = producerProperties;
        this.topic = topic;
        this.checkpointTopic = checkpointTopic;
        this.sbe = sbe;
        this.key = key;
        this.layout = layout;
        this.json = new JsonRecordWriter(layout);
    }

    @Override
    public void open() throws Exception
    {
        createCheckpointTopic();
        final Properties p = new Properties();
        p.putAll(producerProperties);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.putIfAbsent("enable.idempotence", "true");
        p.putIfAbsent("acks", "all");
        p.putIfAbsent("linger.ms", "5");
        producer = new KafkaProducer<>(p);
        producer.initTransactions();
    }

    private void createCheckpointTopic() throws Exception
    {
        KafkaTopics.createUnlessExists(producerProperties, new NewTopic(checkpointTopic, 1, (short)-1)
            .configs(Map.of("cleanup.policy", "compact")));
    }

    @Override
    public void append(final DirectBuffer buffer, final int base)
    {
        if (!inTransaction)
        {
            producer.beginTransaction();
            inTransaction = true;
        }
        final byte[] value;
        if (sbe)
        {
            value = new byte[layout.recordLength()];
            buffer.getBytes(base, value);
        }
        else
        {
            final int n = json.write(buffer, base);
            value = Arrays.copyOf(json.array(), n);
        }
        sends.add(producer.send(new ProducerRecord<>(topic, key(buffer, base), value)));
    }

    private byte[] key(final DirectBuffer buffer, final int base)
    {
        if (key == null || key.isNull(buffer, base))
        {
            return null;
        }
        return (key.type() == FieldType.STRING ? key.getString(buffer, base) :
            Long.toString(key.getLong(buffer, base))).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void commit()
    {
        commit(List.of());
    }

    @Override
    public void commit(final List<Checkpoint> checkpoints)
    {
        if (!inTransaction)
        {
            if (checkpoints.isEmpty())
            {
                return;
            }
            producer.beginTransaction();
            inTransaction = true;
        }
        for (final Checkpoint c : checkpoints)
        {
            sends.add(producer.send(new ProducerRecord<>(checkpointTopic, checkpointKey(c.pipeline(), c.source(),
                c.partition()), (c.offset() + "," + c.journalIndex()).getBytes(StandardCharsets.UTF_8))));
        }
        try
        {
            for (final Future<?> f : sends)
            {
                f.get();
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for sends", e);
        }
        catch (final ExecutionException e)
        {
            throw e.getCause() instanceof KafkaException ? (KafkaException)e.getCause() :
                new KafkaException(e.getCause());
        }
        sendSourceOffsets(checkpoints);
        producer.commitTransaction();
        inTransaction = false;
        sends.clear();
    }

    /** Commits the Kafka source's offsets in this transaction, when the source reads the same cluster. */
    private void sendSourceOffsets(final List<Checkpoint> checkpoints)
    {
        final KafkaSourceGroup group = source.feature(KafkaSourceGroup.class);
        if (group == null || checkpoints.isEmpty())
        {
            return;
        }
        if (!group.brokers().equals(producerProperties.getProperty("bootstrap.servers")))
        {
            if (!warnedOtherCluster)
            {
                warnedOtherCluster = true;
                LoggerFactory.getLogger(KafkaSink.class).warn("the Kafka source reads {} and this sink writes {}: " +
                    "offsets cannot join a transaction on another cluster, so the source's positions are kept in " +
                    "the checkpoint topic only", group.brokers(), producerProperties.getProperty("bootstrap.servers"));
            }
            return;
        }
        final ConsumerGroupMetadata metadata = group.groupMetadata();
        if (metadata == null)
        {
            throw new IllegalStateException("the Kafka source has checkpoints but no group assignment yet");
        }
        final Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (final Checkpoint c : checkpoints)
        {
            offsets.put(group.topicPartition(c.partition()), new OffsetAndMetadata(c.offset() + 1));
        }
        producer.sendOffsetsToTransaction(offsets, metadata);
    }

    private static byte[] checkpointKey(final String pipeline, final String source, final int partition)
    {
        return (pipeline + "/" + source + "/" + partition).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public List<Checkpoint> readCheckpoints(final String pipeline) throws Exception
    {
        final Properties p = new Properties();
        p.putAll(producerProperties);
        p.put("isolation.level", "read_committed");
        final Map<String, Checkpoint> latest = new LinkedHashMap<>();
        KafkaTopics.readAll(p, checkpointTopic, r ->
        {
            final String k = new String(r.key(), StandardCharsets.UTF_8);
            final String[] parts = k.split("/");
            if (parts.length == 3 && parts[0].equals(pipeline) && r.value() != null)
            {
                final String[] v = new String(r.value(), StandardCharsets.UTF_8).split(",");
                latest.put(k, new Checkpoint(pipeline, parts[1], Integer.parseInt(parts[2]), Long.parseLong(v[0]),
                    Long.parseLong(v[1])));
            }
            return true;
        });
        return new ArrayList<>(latest.values());
    }

    @Override
    public void abort()
    {
        sends.clear();
        if (inTransaction)
        {
            inTransaction = false;
            producer.abortTransaction();
        }
    }

    @Override
    public boolean recoverable()
    {
        return true;
    }

    /**
     * Retriable broker errors are transient; a record too large is the row's; a fenced producer (another instance
     * took over this transactional.id), bad credentials or permissions are fatal.
     */
    @Override
    public Failure classify(final Exception failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t instanceof ProducerFencedException || t instanceof AuthenticationException ||
                t instanceof AuthorizationException || t instanceof OutOfOrderSequenceException ||
                t instanceof InvalidTopicException)
            {
                return Failure.FATAL;
            }
            if (t instanceof RecordTooLargeException)
            {
                return Failure.ROW;
            }
            if (t instanceof RetriableException || t instanceof TimeoutException)
            {
                return Failure.TRANSIENT;
            }
        }
        return Failure.FATAL;
    }

    @Override
    public String deliveryGuarantee()
    {
        return "exactly-once";
    }

    @Override
    public String describe()
    {
        return "kafka topic " + topic + (sbe ? " (sbe)" : " (json)");
    }

    @Override
    public void close()
    {
        if (producer != null)
        {
            try
            {
                if (inTransaction)
                {
                    producer.abortTransaction();
                }
            }
            finally
            {
                producer.close(Duration.ofSeconds(10));
                producer = null;
            }
        }
    }
}

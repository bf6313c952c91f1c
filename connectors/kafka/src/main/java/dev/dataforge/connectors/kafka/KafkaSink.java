package dev.dataforge.connectors.kafka;

import dev.dataforge.api.PipelineSource;
import dev.dataforge.api.deadletter.DeadLetterQueue;
import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.CheckpointStore;
import dev.dataforge.api.sink.RejectedEventsException;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.source.SourcePartition;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;
import dev.dataforge.codec.JsonRecordWriter;
import dev.dataforge.codec.RecordLayout;
import org.agrona.DirectBuffer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
import org.apache.kafka.common.header.internals.RecordHeaders;
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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A transactional producer. The first event of a batch begins a transaction; {@link #commit(List)} waits for every
 * send, writes one record per checkpoint (key {@code pipeline/source/partition}, value
 * {@code offset,journalIndex,sourceId,epoch}) to the compacted checkpoint topic, and commits the transaction;
 * {@link #abort()} aborts it, so a {@code read_committed} consumer sees each batch once or not at all.
 * <p>
 * When the pipeline's source is Kafka on the same cluster, the source's offsets (last settled offset + 1 per
 * partition) are committed to its consumer group in the same transaction ({@code sendOffsetsToTransaction}, with
 * the group's generation, so a member that lost its partitions in a rebalance is fenced): output records, offsets
 * and checkpoints become visible together or not at all, and those group offsets are the checkpoints recovery reads.
 * A dead-letter topic on the same cluster is written in the same transaction too. Each instance has a
 * {@code transactional.id} of its own (KIP-447: the group generation, not the id, fences a zombie).
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
    private final List<Future<RecordMetadata>> rows = new ArrayList<>();
    private final List<Future<RecordMetadata>> sends = new ArrayList<>();
    /** Events of the open transaction the producer refused by themselves, by position, with its message. */
    private final Map<Integer, String> refused = new TreeMap<>();
    private final PipelineSource source;
    private KafkaDeadLetterQueue deadLetters;
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

    private String brokers()
    {
        return producerProperties.getProperty("bootstrap.servers");
    }

    @Override
    public void open() throws Exception
    {
        createCheckpointTopic();
        openProducer();
        if (deadLetters != null)
        {
            deadLetters.createTopic();
        }
    }

    private void openProducer()
    {
        final Properties p = new Properties();
        p.putAll(producerProperties);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.putIfAbsent("enable.idempotence", "true");
        p.putIfAbsent("acks", "all");
        // measured with KafkaToKafkaVsKafkaStreams: larger batches and lz4 took the engine's CPU per record from
        // 2.35 to about 1.9 us (16 KiB batches, no compression); the transaction's flush sends what lingers
        p.putIfAbsent("linger.ms", "20");
        p.putIfAbsent("batch.size", Integer.toString(256 << 10)); // 128 partitions fill buffer.memory (32 MiB)
        p.putIfAbsent("compression.type", "lz4");
        // a killed instance's open transaction holds read_committed consumers back until it times out
        p.putIfAbsent("transaction.timeout.ms", "10000");
        final KafkaProducer<byte[], byte[]> opened = new KafkaProducer<>(p);
        try
        {
            opened.initTransactions();
        }
        catch (final RuntimeException e)
        {
            opened.close(Duration.ZERO);
            throw e;
        }
        producer = opened;
    }

    private void createCheckpointTopic() throws Exception
    {
        KafkaTopics.createUnlessExists(producerProperties, new NewTopic(checkpointTopic, 1, (short)-1)
            .configs(Map.of("cleanup.policy", "compact")));
    }

    private void begin()
    {
        if (producer == null)
        {
            openProducer(); // the one an abort replaced
        }
        if (!inTransaction)
        {
            producer.beginTransaction();
            inTransaction = true;
        }
    }

    @Override
    public void append(final DirectBuffer buffer, final int base)
    {
        begin();
        final byte[] value;
        if (sbe)
        {
            value = new byte[layout.recordLength(buffer, base)];
            buffer.getBytes(base, value);
        }
        else
        {
            final int n = json.write(buffer, base);
            value = Arrays.copyOf(json.array(), n);
        }
        final Future<RecordMetadata> sent = send(new ProducerRecord<>(topic, key(buffer, base), value));
        final String tooLarge = refusedAsTooLarge(sent);
        if (tooLarge != null)
        {
            refused.put(rows.size(), "rejected by the sink: " + tooLarge);
        }
        rows.add(sent);
    }

    /**
     * @return the message of the producer's own size check when it refused the record of {@code sent} by itself,
     * else null. Only that check fails a send before it returns; the records the producer aborts because of it
     * (still in its buffers, or sent after it) fail later, with the same exception or another: they go again.
     */
    private static String refusedAsTooLarge(final Future<RecordMetadata> sent)
    {
        if (!sent.isDone())
        {
            return null;
        }
        try
        {
            sent.get();
            return null;
        }
        catch (final ExecutionException e)
        {
            return e.getCause() instanceof RecordTooLargeException ? e.getCause().getMessage() : null;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * @return the send's future; failed, not thrown, when an earlier record broke the transaction (the commit then
     * names the record that did, and the rest go again).
     */
    private Future<RecordMetadata> send(final ProducerRecord<byte[], byte[]> record)
    {
        try
        {
            return producer.send(record);
        }
        catch (final KafkaException brokenTransaction)
        {
            return CompletableFuture.failedFuture(brokenTransaction);
        }
    }

    /** Sends a dead letter of an enlisted dead-letter topic, in the open transaction. */
    void sendDeadLetter(final String deadLetterTopic, final byte[] payload, final RecordHeaders headers)
    {
        begin();
        sends.add(send(new ProducerRecord<>(deadLetterTopic, null, null, null, payload, headers)));
    }

    private byte[] key(final DirectBuffer buffer, final int base)
    {
        if (key == null || key.isNull(buffer, base))
        {
            return null;
        }
        return (key.type() == FieldType.STRING || key.type() == FieldType.JSON ? key.getString(buffer, base) :
            Long.toString(key.getLong(buffer, base))).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void commit() throws Exception
    {
        commit(List.of());
    }

    @Override
    public void commit(final List<Checkpoint> checkpoints) throws Exception
    {
        if (!inTransaction)
        {
            if (checkpoints.isEmpty())
            {
                return;
            }
            begin();
        }
        for (final Checkpoint c : checkpoints)
        {
            sends.add(send(new ProducerRecord<>(checkpointTopic, checkpointKey(c.pipeline(), c.source(),
                c.partition()), (c.offset() + "," + c.journalIndex() + "," + c.sourceId() + "," + c.epoch())
                .getBytes(StandardCharsets.UTF_8))));
        }
        awaitSends();
        sendSourceOffsets(checkpoints);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                producer.commitTransaction();
                break;
            }
            catch (final TimeoutException e)
            {
                // the commit may be under way: committing again resumes it (aborting now is not allowed)
                if (attempt == 3)
                {
                    throw e;
                }
            }
        }
        inTransaction = false;
        rows.clear();
        refused.clear();
        sends.clear();
    }

    /**
     * Waits for every send of the transaction. Records the producer refused as too large are named (their positions
     * in the batch) at once, without waiting for the others: those failed, or will never be sent, only because the
     * transaction is broken (the producer fails its buffered records with the refused record's exception), and are
     * written again after the abort.
     */
    private void awaitSends() throws Exception
    {
        if (!refused.isEmpty())
        {
            throw new RejectedEventsException(refused);
        }
        final long deadline = System.nanoTime() + SEND_TIMEOUT_NANOS;
        for (final List<Future<RecordMetadata>> list : List.of(rows, sends))
        {
            for (final Future<RecordMetadata> f : list)
            {
                try
                {
                    f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                catch (final ExecutionException e)
                {
                    throw unwrap(e);
                }
                catch (final java.util.concurrent.TimeoutException e)
                {
                    throw new TimeoutException("sends not acknowledged within " +
                        TimeUnit.NANOSECONDS.toSeconds(SEND_TIMEOUT_NANOS) + " s");
                }
            }
        }
    }

    /** Longest wait for a batch's sends: the producer's own delivery timeout, 2 minutes by default. */
    private static final long SEND_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(2);

    private static Exception unwrap(final ExecutionException e)
    {
        return e.getCause() instanceof Exception ? (Exception)e.getCause() : new KafkaException(e.getCause());
    }

    private KafkaSourceGroup sourceGroup()
    {
        final KafkaSourceGroup group = source.feature(KafkaSourceGroup.class);
        return group != null && group.brokers().equals(brokers()) ? group : null;
    }

    /** Commits the Kafka source's offsets in this transaction, when the source reads the same cluster. */
    private void sendSourceOffsets(final List<Checkpoint> checkpoints)
    {
        final KafkaSourceGroup any = source.feature(KafkaSourceGroup.class);
        if (any == null || checkpoints.isEmpty())
        {
            return;
        }
        final KafkaSourceGroup group = sourceGroup();
        if (group == null)
        {
            if (!warnedOtherCluster)
            {
                warnedOtherCluster = true;
                LoggerFactory.getLogger(KafkaSink.class).warn("the Kafka source reads {} and this sink writes {}: " +
                    "offsets cannot join a transaction on another cluster, so the source's positions are kept in " +
                    "the checkpoint topic only", any.brokers(), brokers());
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
            offsets.put(new TopicPartition(c.source(), c.partition()), new OffsetAndMetadata(c.offset() + 1));
        }
        producer.sendOffsetsToTransaction(offsets, metadata);
    }

    @Override
    public boolean commitsSourceOffsets()
    {
        return sourceGroup() != null;
    }

    /** A dead-letter topic on this cluster is written in this sink's transactions. */
    @Override
    public boolean enlist(final DeadLetterQueue queue)
    {
        if (queue instanceof KafkaDeadLetterQueue && ((KafkaDeadLetterQueue)queue).joins(this, brokers()))
        {
            deadLetters = (KafkaDeadLetterQueue)queue;
            return true;
        }
        return false;
    }

    private static byte[] checkpointKey(final String pipeline, final String source, final int partition)
    {
        return (pipeline + "/" + source + "/" + partition).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public List<Checkpoint> readCheckpoints(final String pipeline) throws Exception
    {
        final KafkaSourceGroup group = sourceGroup();
        if (group != null && group.groupMetadata() != null)
        {
            return groupOffsets(pipeline, group.groupMetadata().groupId());
        }
        return checkpointTopic(pipeline);
    }

    @Override
    public List<Checkpoint> readCheckpoints(final String pipeline, final List<SourcePartition> partitions)
        throws Exception
    {
        final KafkaSourceGroup group = sourceGroup();
        if (group != null && group.groupMetadata() != null)
        {
            return groupOffsets(pipeline, group.groupMetadata().groupId(), partitions);
        }
        return Sink.super.readCheckpoints(pipeline, partitions);
    }

    /** @return the checkpoints in the checkpoint topic, the last of each partition. */
    private List<Checkpoint> checkpointTopic(final String pipeline) throws Exception
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
                final String[] v = new String(r.value(), StandardCharsets.UTF_8).split(",", -1);
                latest.put(k, new Checkpoint(pipeline, parts[1], Integer.parseInt(parts[2]), v.length > 2 ? v[2] :
                    "", Long.parseLong(v[0]), Long.parseLong(v[1]), v.length > 3 ? Long.parseLong(v[3]) : 0));
            }
            return true;
        });
        return new ArrayList<>(latest.values());
    }

    /** @return every committed offset of the consumer group, as checkpoints (offsets still settling are left out). */
    private List<Checkpoint> groupOffsets(final String pipeline, final String groupId) throws Exception
    {
        try (Admin admin = admin())
        {
            final List<Checkpoint> out = new ArrayList<>();
            admin.listConsumerGroupOffsets(groupId, new ListConsumerGroupOffsetsOptions().requireStable(true))
                .partitionsToOffsetAndMetadata().get().forEach((tp, o) ->
                {
                    if (o != null)
                    {
                        out.add(new Checkpoint(pipeline, tp.topic(), tp.partition(), "", o.offset() - 1, -1, 0));
                    }
                });
            return out;
        }
    }

    /**
     * @return the consumer group's committed offsets of {@code partitions}, in their order, as checkpoints. A
     * partition whose offsets a transaction still holds (a killed instance's, until the broker aborts it after
     * {@code transaction.timeout.ms}; or one being committed) is not answered by the broker, which is not the same
     * as having no offset: it is asked again until it settles.
     */
    private List<Checkpoint> groupOffsets(final String pipeline, final String groupId,
        final List<SourcePartition> partitions) throws Exception
    {
        final Map<TopicPartition, SourcePartition> wanted = new LinkedHashMap<>();
        for (final SourcePartition sp : partitions)
        {
            wanted.put(new TopicPartition(sp.source(), sp.partition()), sp);
        }
        final long deadline = System.nanoTime() + STABLE_OFFSETS_WAIT_NANOS;
        long backoffMillis = 50;
        try (Admin admin = admin())
        {
            while (true)
            {
                final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                    Map.of(groupId, new ListConsumerGroupOffsetsSpec().topicPartitions(wanted.keySet())),
                    new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata(groupId)
                    .get();
                if (committed.keySet().containsAll(wanted.keySet()))
                {
                    final List<Checkpoint> out = new ArrayList<>(wanted.size());
                    wanted.forEach((tp, sp) ->
                    {
                        final OffsetAndMetadata o = committed.get(tp);
                        out.add(new Checkpoint(pipeline, sp, o == null ? Checkpoint.NONE : o.offset() - 1, -1, 0));
                    });
                    return out;
                }
                final List<TopicPartition> settling = new ArrayList<>(wanted.keySet());
                settling.removeAll(committed.keySet());
                if (System.nanoTime() > deadline)
                {
                    throw new TimeoutException("the committed offsets of " + settling + " in consumer group " +
                        groupId + " are still held by an open transaction after " +
                        TimeUnit.NANOSECONDS.toSeconds(STABLE_OFFSETS_WAIT_NANOS) + " s");
                }
                if (backoffMillis == 50)
                {
                    LoggerFactory.getLogger(KafkaSink.class).info("the committed offsets of {} are held by an open " +
                        "transaction (a killed instance's is aborted after transaction.timeout.ms); waiting for them",
                        settling);
                }
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(1000, backoffMillis * 2);
            }
        }
    }

    /**
     * Longest wait for offsets an open transaction holds: a killed instance's transaction is aborted once
     * {@code transaction.timeout.ms} has passed and the broker's next check for timed-out transactions runs.
     */
    private static final long STABLE_OFFSETS_WAIT_NANOS = TimeUnit.MINUTES.toNanos(2);

    private Admin admin()
    {
        final Properties p = new Properties();
        p.putAll(producerProperties);
        p.remove("transactional.id");
        return Admin.create(p);
    }

    /**
     * Recovery's view of this sink's checkpoints: the consumer group's committed offsets when the source reads this
     * cluster (the group generation fences zombies; no epoch is needed), else the checkpoint topic.
     */
    @Override
    public CheckpointStore checkpointStore()
    {
        return new CheckpointStore()
        {
            @Override
            public List<Checkpoint> claim(final String pipeline, final List<SourcePartition> partitions)
                throws Exception
            {
                final KafkaSourceGroup group = sourceGroup();
                if (group != null)
                {
                    return groupOffsets(pipeline, group.groupMetadata().groupId(), partitions);
                }
                final List<Checkpoint> stored = checkpointTopic(pipeline);
                final List<Checkpoint> out = new ArrayList<>();
                for (final SourcePartition sp : partitions)
                {
                    Checkpoint found = new Checkpoint(pipeline, sp, Checkpoint.NONE, -1, 0);
                    for (final Checkpoint c : stored)
                    {
                        if (c.source().equals(sp.source()) && c.partition() == sp.partition())
                        {
                            found = new Checkpoint(pipeline, c.source(), c.partition(), c.sourceId(), c.offset(),
                                c.journalIndex(), 0);
                        }
                    }
                    out.add(found);
                }
                return out;
            }

            @Override
            public void close()
            {
            }
        };
    }

    /**
     * Aborts the transaction. A producer that cannot abort (its commit timed out: it may be in) is closed and replaced
     * at the next transaction: the broker completes or times out what the old one left, the checkpoints read back
     * (offsets read stable, so not before the broker settled it) tell which, and the new one's
     * {@code initTransactions} fences the old one for good.
     */
    @Override
    public void abort() throws Exception
    {
        rows.clear();
        refused.clear();
        sends.clear();
        if (inTransaction)
        {
            inTransaction = false;
            try
            {
                producer.abortTransaction();
            }
            catch (final KafkaException unabortable)
            {
                LoggerFactory.getLogger(KafkaSink.class).warn("the transaction cannot be aborted ({}): starting a " +
                    "new producer", unabortable.toString());
                producer.close(Duration.ofSeconds(5));
                producer = null; // the next transaction opens a new one: the broker may be out of reach now

            }
        }
    }

    @Override
    public boolean recoverable()
    {
        return true;
    }

    /**
     * Retriable broker errors, and an offset commit refused for a stale group generation (a rebalance is under way:
     * once the source has heard of it, the batch goes again without the partitions that moved), are transient; a
     * fenced producer (another instance took over this transactional.id), bad credentials or permissions are
     * fatal.
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
            if (t instanceof CommitFailedException || t instanceof RetriableException ||
                t instanceof TimeoutException)
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

package dev.dataforge.connectors.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/** What several parts do with whole topics: create one unless it exists, and read one from start to end. */
public final class KafkaTopics
{
    /** Takes each record read; false stops the reading. */
    public interface RecordHandler
    {
        boolean accept(ConsumerRecord<byte[], byte[]> record) throws Exception;
    }

    private KafkaTopics()
    {
    }

    /** Creates {@code topic} with the client settings of {@code properties} (bootstrap servers, security). */
    public static void createUnlessExists(final Properties properties, final NewTopic topic) throws Exception
    {
        final Properties admin = new Properties();
        admin.putAll(properties);
        admin.remove("transactional.id");
        try (Admin a = Admin.create(admin))
        {
            a.createTopics(List.of(topic)).all().get();
        }
        catch (final ExecutionException e)
        {
            if (!(e.getCause() instanceof TopicExistsException))
            {
                throw e;
            }
        }
    }

    /**
     * Reads every partition of {@code topic} from its start to its end as of now, with the client settings of
     * {@code properties} (bootstrap servers, security, isolation level), in no consumer group. With
     * {@code read_committed}, the end is every record written so far, committed or not: the reading waits for the
     * transactions open now to settle (a killed producer's is aborted after its transaction.timeout.ms), so that a
     * commit under way is read as committed or aborted, never as not there yet.
     *
     * @return false when the topic does not exist (no partitions within 30 s).
     * @throws TimeoutException when a transaction stays open for {@link #SETTLE_TIMEOUT}.
     */
    public static boolean readAll(final Properties properties, final String topic, final RecordHandler handler)
        throws Exception
    {
        final Properties p = new Properties();
        p.putAll(properties);
        p.remove("transactional.id");
        p.remove("group.id");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p))
        {
            final List<TopicPartition> parts = new ArrayList<>();
            final var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty())
            {
                return false;
            }
            infos.forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            final Map<TopicPartition, Long> end = highWatermarks(p, parts);
            final long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)))
            {
                if (System.nanoTime() > deadline)
                {
                    throw new TimeoutException("topic " + topic + ": records up to " + end + " not all settled after " +
                        SETTLE_TIMEOUT.toSeconds() + " s (a transaction still open on it), read up to " +
                        consumer.position(parts.get(0)) + " of partition " + parts.get(0).partition());
                }
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)))
                {
                    if (!handler.accept(r))
                    {
                        return true;
                    }
                }
            }
        }
        return true;
    }

    /** Longest wait for the transactions open on a topic to settle while it is read. */
    public static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(2);

    /** @return the end of each partition counting records of open transactions (the high watermark). */
    private static Map<TopicPartition, Long> highWatermarks(final Properties properties,
        final List<TopicPartition> parts) throws Exception
    {
        final Properties admin = new Properties();
        admin.putAll(properties);
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        parts.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        try (Admin a = Admin.create(admin))
        {
            final Map<TopicPartition, Long> end = new HashMap<>();
            a.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get()
                .forEach((tp, info) -> end.put(tp, info.offset()));
            return end;
        }
    }
}

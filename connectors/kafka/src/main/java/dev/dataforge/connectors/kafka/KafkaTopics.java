package dev.dataforge.connectors.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
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
     * {@code properties} (bootstrap servers, security, isolation level), in no consumer group.
     *
     * @return false when the topic does not exist (no partitions within 30 s).
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
            final Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)))
            {
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
}

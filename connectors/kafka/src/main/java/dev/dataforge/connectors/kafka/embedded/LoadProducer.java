package dev.dataforge.connectors.kafka.embedded;

import dev.dataforge.codec.JsonRecordWriter;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.codec.generator.GeneratedEvents;
import dev.dataforge.codec.generator.GeneratorSettings;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;

/**
 * Feeds a topic of the embedded broker with the generator's events as JSON, keyed by user, at a set rate, on its
 * own daemon thread, until closed.
 */
public final class LoadProducer implements AutoCloseable
{
    /** Users of the generated events: those of examples/user_profiles.csv. */
    private static final long USERS = 1000;

    private final Thread thread;
    private volatile boolean running = true;

    LoadProducer(final String brokers, final String topic, final long rate, final long seed)
    {
        thread = new Thread(() -> run(brokers, topic, rate, seed), "dataforge-load-producer");
        thread.setDaemon(true);
    }

    LoadProducer start()
    {
        thread.start();
        return this;
    }

    private void run(final String brokers, final String topic, final long rate, final long seed)
    {
        final Properties p = orderedProducer(brokers);
        // one request in flight: the rate is batch / round trip, so batches must be large (16 KiB held it to ~55k/s)
        p.put("linger.ms", "10");
        p.put("batch.size", "262144");
        final var layout = SbeLayouts.userEvent();
        final JsonRecordWriter json = new JsonRecordWriter(layout);
        final long start = System.nanoTime();
        final long[] sent = {0};
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p))
        {
            // one unbounded run of the generator, resumed after the events already in the topic: ids stay unique
            final long from = recordsIn(brokers, topic);
            GeneratedEvents.forEach(settings(seed, Long.MAX_VALUE), from, (event, base) ->
            {
                while (running && rate > 0 && sent[0] >= (System.nanoTime() - start) / 1000 * rate / 1_000_000)
                {
                    LockSupport.parkNanos(100_000);
                }
                if (!running)
                {
                    throw new InterruptedException("stopped");
                }
                final byte[] key = Long.toString(layout.field("user_id").getLong(event, base))
                    .getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, key,
                    Arrays.copyOf(json.array(), json.write(event, base))));
                sent[0]++;
            });
        }
        catch (final InterruptedException stopped)
        {
            // closed
        }
        catch (final Exception e)
        {
            LoggerFactory.getLogger(LoadProducer.class).warn("load producer stopped: {}", e.toString());
        }
    }

    /** @return how many records the topic holds: the next generated event's number. */
    private static long recordsIn(final String brokers, final String topic)
    {
        final Properties p = new Properties();
        p.put("bootstrap.servers", brokers);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p))
        {
            final List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i ->
                parts.add(new TopicPartition(topic, i.partition())));
            return consumer.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** @return the generator's default events, {@code events} of them, by users 1..1000 (the example's lookups). */
    public static GeneratorSettings settings(final long seed, final long events)
    {
        final GeneratorSettings d = GeneratorSettings.defaults(seed, 0, events);
        return new GeneratorSettings(d.seed(), 0, events, d.types(), USERS, d.anonymousRatio(), d.sessionsPerUser(),
            d.pages(), d.startMicros());
    }

    /**
     * @return properties of a producer of byte arrays (acks all) that keeps per-partition order with one request in
     * flight instead of the idempotent producer, whose sequence state can wedge (OUT_OF_ORDER_SEQUENCE_NUMBER
     * retried forever) when a batch times out on a loaded 2-core box: for generated load, tests and benchmarks.
     */
    public static Properties orderedProducer(final String brokers)
    {
        final Properties p = new Properties();
        p.put("bootstrap.servers", brokers);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("enable.idempotence", "false");
        p.put("max.in.flight.requests.per.connection", "1");
        p.put("acks", "all");
        p.put("linger.ms", "5");
        return p;
    }

    /** @return the first {@code n} records this producer sends (the same for every seed-42 producer): a sample. */
    public static List<byte[]> sample(final int n) throws Exception
    {
        final var layout = SbeLayouts.userEvent();
        final JsonRecordWriter json = new JsonRecordWriter(layout);
        final List<byte[]> out = new ArrayList<>();
        GeneratedEvents.forEach(settings(42, n), (event, base) ->
            out.add(Arrays.copyOf(json.array(), json.write(event, base))));
        return out;
    }

    @Override
    public void close() throws InterruptedException
    {
        running = false;
        thread.join(10_000);
    }
}

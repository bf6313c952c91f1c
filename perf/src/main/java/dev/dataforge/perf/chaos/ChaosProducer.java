package dev.dataforge.perf.chaos;

import dev.dataforge.codec.JsonRecordWriter;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.codec.generator.GeneratedEvents;
import dev.dataforge.codec.generator.GeneratorSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;

/**
 * The chaos harness's producer of known events, run as a child process: {@code events} generated user events
 * (event_id = n + 1, users 1..1000 as in the example's profiles) as JSON, keyed by user, at {@code rate} per second,
 * with the idempotent producer so that a broker outage neither loses nor repeats a record. Prints {@code produced N}
 * and exits 0 once every record is acknowledged.
 * <pre>
 *   ChaosProducer BROKERS TOPIC EVENTS RATE SEED
 * </pre>
 */
public final class ChaosProducer
{
    private ChaosProducer()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String brokers = args[0];
        final String topic = args[1];
        final long events = Long.parseLong(args[2]);
        final long rate = Long.parseLong(args[3]);
        final long seed = Long.parseLong(args[4]);
        final Properties p = new Properties();
        p.put("bootstrap.servers", brokers);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "5");
        // a broker outage is waited out, never a reason to drop a record
        p.put("delivery.timeout.ms", Integer.toString(Integer.MAX_VALUE));
        p.put("max.block.ms", "600000");
        final RecordLayout layout = SbeLayouts.userEvent();
        final JsonRecordWriter json = new JsonRecordWriter(layout);
        final GeneratorSettings d = GeneratorSettings.defaults(seed, 0, events);
        final GeneratorSettings settings = new GeneratorSettings(d.seed(), 0, events, d.types(), 1000,
            d.anonymousRatio(), d.sessionsPerUser(), d.pages(), d.startMicros());
        final long start = System.nanoTime();
        final long[] sent = {0};
        final Exception[] failed = {null};
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p))
        {
            GeneratedEvents.forEach(settings, (event, base) ->
            {
                while (rate > 0 && sent[0] >= (System.nanoTime() - start) / 1000 * rate / 1_000_000)
                {
                    LockSupport.parkNanos(200_000);
                }
                final byte[] key = Long.toString(layout.field("user_id").getLong(event, base))
                    .getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, key, Arrays.copyOf(json.array(), json.write(event, base))),
                    (metadata, e) ->
                    {
                        if (e != null)
                        {
                            failed[0] = e;
                        }
                    });
                sent[0]++;
            });
            producer.flush();
        }
        if (failed[0] != null)
        {
            System.err.println("produce failed: " + failed[0]);
            System.exit(1);
        }
        System.out.println("produced " + sent[0]);
    }
}

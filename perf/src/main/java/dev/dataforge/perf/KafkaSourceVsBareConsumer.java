package dev.dataforge.perf;

import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.format.JsonRecordWriter;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import dev.dataforge.core.source.GeneratorSettings;
import dev.dataforge.core.source.GeneratedEvents;
import dev.dataforge.core.spi.Connectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Kafka → filter → enrich → blackhole against a bare KafkaConsumer that only counts records, on the same topic of
 * an in-process broker, alternating, each run with a new consumer group (so both read the whole topic):
 * <pre>
 *   bare:      KafkaConsumer.poll → count
 *   pipeline:  KafkaSource (JSON → slot) ──► [ring] ──► filter → enrich ──► blackhole
 * </pre>
 * Both are timed from before their consumer joins the group to their last record.
 * Usage: {@code KafkaSourceVsBareConsumer [records] [runs]}.
 */
public final class KafkaSourceVsBareConsumer
{
    private KafkaSourceVsBareConsumer()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int records = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final String topic = "user-events";
        try (KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
            .setNumBrokerNodes(1).setNumControllerNodes(1).build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0").build())
        {
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            final String brokers = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers)))
            {
                admin.createTopics(List.of(new NewTopic(topic, 3, (short)1))).all().get();
            }
            produce(brokers, topic, records);
            final List<Double> bare = new ArrayList<>();
            final List<Double> pipeline = new ArrayList<>();
            for (int run = 0; run <= runs; run++)
            {
                final double b = bare(brokers, topic, records, "bare-" + run);
                final double p = pipeline(brokers, topic, records, "pipeline-" + run);
                System.out.printf(Locale.ROOT, "%s: bare consumer %,.0f records/s, pipeline %,.0f records/s, " +
                    "ratio %.2f%n", run == 0 ? "warm-up" : "run " + run, b, p, p / b);
                if (run > 0)
                {
                    bare.add(b);
                    pipeline.add(p);
                }
            }
            bare.sort(Double::compare);
            pipeline.sort(Double::compare);
            final double b = bare.get(bare.size() / 2);
            final double p = pipeline.get(pipeline.size() / 2);
            System.out.printf(Locale.ROOT, "median: bare consumer %,.0f records/s, pipeline %,.0f records/s, " +
                "ratio %.2f (%,d JSON records, 3 partitions)%n", b, p, p / b, records);
        }
    }

    private static void produce(final String brokers, final String topic, final int records) throws Exception
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
        p.put("linger.ms", "20");
        p.put("batch.size", "262144");
        p.put("compression.type", "lz4");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p))
        {
            GeneratedEvents.forEach(new GeneratorSettings(42, 0, records, GeneratorSettings.DEFAULT_TYPES, 1000, 0, 4,
                20, 1_767_225_600_000_000L), (event, base) -> producer.send(new ProducerRecord<>(topic,
                Long.toString(layout.field("user_id").getLong(event, base)).getBytes(),
                java.util.Arrays.copyOf(json.array(), json.write(event, base)))));
            producer.flush();
        }
    }

    private static double bare(final String brokers, final String topic, final int records, final String group)
    {
        final Properties p = new Properties();
        p.put("bootstrap.servers", brokers);
        p.put("group.id", group);
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("max.poll.records", "5000");
        p.put("fetch.min.bytes", "1048576");
        p.put("fetch.max.wait.ms", "100");
        // timed like the pipeline's run: from before the consumer joins its group to the last record
        final long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p))
        {
            consumer.subscribe(List.of(topic));
            long count = 0;
            while (count < records)
            {
                count += consumer.poll(Duration.ofMillis(100)).count();
            }
            return records / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double pipeline(final String brokers, final String topic, final int records, final String group)
        throws Exception
    {
        final Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KAFKA_BROKERS", brokers);
        env.put("TOPIC", topic);
        env.put("GROUP", group);
        final RunResult r = new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(env)
            .load(Path.of("perf/pipelines/kafka-filter-enrich-blackhole.yaml"))),
            RunOptions.unbounded().withMaxEvents(records)).run();
        if (r.error() != null || !r.countsAddUp() || r.deadLettered() != 0)
        {
            throw new IllegalStateException("run failed: " + r);
        }
        return r.throughput();
    }
}

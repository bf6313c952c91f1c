package dev.dataforge.perf;

import dev.dataforge.codec.JsonRecordWriter;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.codec.generator.GeneratedEvents;
import dev.dataforge.codec.generator.GeneratorSettings;
import dev.dataforge.connectors.kafka.embedded.LoadProducer;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Kafka → filter → enrich → blackhole against a bare KafkaConsumer that only counts records, on the same topic of
 * an in-process broker, alternating, each run with a new consumer group (so both read the whole topic):
 * <pre>
 *   bare:      KafkaConsumer.poll → count
 *   pipeline:  KafkaSource (JSON → slot) ──► [ring] ──► filter → enrich ──► blackhole
 * </pre>
 * Two rates for each: over the whole run (from before the consumer joins its group to the last record; for the
 * pipeline also planning, start-up and the final commit) and while records flow (first record to last), which is
 * the steady-state rate without the group join that dominates short runs.
 * Usage: {@code KafkaSourceVsBareConsumer [records] [runs] [json|sbe] [pipeline.yaml]}: the record values are JSON
 * objects or the event's SBE layout ({@code format: sbe}); the pipeline defaults to
 * {@code perf/pipelines/kafka-filter-enrich-blackhole.yaml}, {@code perf/pipelines/kafka-blackhole.yaml} is the
 * source alone (every record decoded into its slot, then dropped).
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
        final boolean sbe = args.length > 2 && "sbe".equals(args[2]);
        final Path file = Path.of(args.length > 3 ? args[3] : "perf/pipelines/kafka-filter-enrich-blackhole.yaml");
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
            produce(brokers, topic, records, Set.of(), sbe);
            final List<double[]> bare = new ArrayList<>();
            final List<double[]> pipeline = new ArrayList<>();
            for (int run = 0; run <= runs; run++)
            {
                final double[] b = bare(brokers, topic, records, "bare-" + run);
                final double[] p = pipeline(brokers, topic, records, "pipeline-" + run, file, sbe);
                System.out.printf(Locale.ROOT, "%s: whole run: bare %,.0f, pipeline %,.0f records/s (ratio %.2f); " +
                    "while flowing: bare %,.0f, pipeline %,.0f records/s (ratio %.2f); CPU per record (this process, " +
                    "broker included): bare %.2f us, pipeline %.2f us%n", run == 0 ? "warm-up" :
                    "run " + run, b[0], p[0], p[0] / b[0], b[1], p[1], p[1] / b[1], b[2], p[2]);
                if (run > 0)
                {
                    bare.add(b);
                    pipeline.add(p);
                }
            }
            for (int k = 0; k < 2; k++)
            {
                final int m = k;
                final double[] ratios = new double[bare.size()];
                for (int i = 0; i < ratios.length; i++)
                {
                    ratios[i] = pipeline.get(i)[m] / bare.get(i)[m];
                }
                Arrays.sort(ratios);
                final double b = bare.stream().mapToDouble(x -> x[m]).sorted().toArray()[bare.size() / 2];
                final double p = pipeline.stream().mapToDouble(x -> x[m]).sorted().toArray()[pipeline.size() / 2];
                System.out.printf(Locale.ROOT, "median %s: bare consumer %,.0f records/s, pipeline %,.0f records/s, " +
                    "median ratio %.2f (%,d %s records, 3 partitions, %s)%n", m == 0 ? "whole run" : "while flowing",
                    b, p, ratios[ratios.length / 2], records, sbe ? "SBE" : "JSON", file);
            }
        }
    }

    /**
     * Writes {@code records} generated events as JSON into {@code topic}, keyed by user_id.
     *
     * @return how many of them have one of {@code types}
     */
    static long produce(final String brokers, final String topic, final int records, final Set<String> types)
        throws Exception
    {
        return produce(brokers, topic, records, types, false);
    }

    /** As {@link #produce(String, String, int, Set)}, the values as the event's SBE layout where {@code sbe}. */
    static long produce(final String brokers, final String topic, final int records, final Set<String> types,
        final boolean sbe) throws Exception
    {
        final long[] matching = {0};
        final RecordLayout layout = SbeLayouts.userEvent();
        final JsonRecordWriter json = new JsonRecordWriter(layout);
        final Properties p = LoadProducer.orderedProducer(brokers);
        p.put("linger.ms", "20");
        p.put("batch.size", "262144");
        p.put("compression.type", "lz4");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p))
        {
            GeneratedEvents.forEach(new GeneratorSettings(42, 0, records, GeneratorSettings.DEFAULT_TYPES, 1000, 0, 4,
                20, 1_767_225_600_000_000L), (event, base) ->
                {
                    if (types.contains(layout.field("type").getString(event, base)))
                    {
                        matching[0]++;
                    }
                    producer.send(new ProducerRecord<>(topic,
                        Long.toString(layout.field("user_id").getLong(event, base)).getBytes(),
                        sbe ? sbeBytes(event, base, layout.recordLength()) :
                        Arrays.copyOf(json.array(), json.write(event, base))));
                });
            producer.flush();
        }
        return matching[0];
    }

    private static byte[] sbeBytes(final org.agrona.DirectBuffer event, final int base, final int length)
    {
        final byte[] out = new byte[length];
        event.getBytes(base, out);
        return out;
    }

    private static double[] bare(final String brokers, final String topic, final int records, final String group)
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
        p.put("isolation.level", System.getProperty("bare.isolation", "read_uncommitted"));
        // timed like the pipeline's run: from before the consumer joins its group to the last record
        final long start = System.nanoTime();
        final long cpu0 = KafkaToKafkaVsKafkaStreams.cpuNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p))
        {
            consumer.subscribe(List.of(topic));
            long count = 0;
            long first = 0;
            while (count < records)
            {
                final int n = consumer.poll(Duration.ofMillis(100)).count();
                if (n > 0 && first == 0)
                {
                    first = System.nanoTime();
                }
                count += n;
            }
            final long end = System.nanoTime();
            return new double[] {records / ((end - start) / 1e9), records / ((end - first) / 1e9),
                (KafkaToKafkaVsKafkaStreams.cpuNanos() - cpu0) / 1e3 / records};
        }
    }

    private static double[] pipeline(final String brokers, final String topic, final int records, final String group,
        final Path file, final boolean sbe) throws Exception
    {
        final Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KAFKA_BROKERS", brokers);
        env.put("TOPIC", topic);
        env.put("GROUP", group);
        env.put("FORMAT", sbe ? "sbe" : "json");
        final Pipeline pipeline = new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(env)
            .load(file)),
            RunOptions.unbounded().withMaxEvents(records));
        // while records flow: from the first record in the ring to the last, sampled every 100 us
        final long[] flow = {0, 0};
        final Thread sampler = new Thread(() ->
        {
            while (flow[1] == 0 && !Thread.currentThread().isInterrupted())
            {
                final long in = pipeline.metrics().eventsIn();
                if (in > 0 && flow[0] == 0)
                {
                    flow[0] = System.nanoTime();
                }
                if (in >= records)
                {
                    flow[1] = System.nanoTime();
                }
                LockSupport.parkNanos(100_000);
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        final long cpu0 = KafkaToKafkaVsKafkaStreams.cpuNanos();
        final RunResult r = pipeline.run();
        final long cpu = KafkaToKafkaVsKafkaStreams.cpuNanos() - cpu0;
        sampler.join(5_000);
        if (r.error() != null || !r.countsAddUp() || r.deadLetters() != 0)
        {
            throw new IllegalStateException("run failed: " + r);
        }
        return new double[] {r.throughput(), records / ((flow[1] - flow[0]) / 1e9), cpu / 1e3 / records};
    }
}

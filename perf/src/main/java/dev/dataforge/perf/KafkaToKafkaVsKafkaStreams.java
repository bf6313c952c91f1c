package dev.dataforge.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Kafka → filter → enrich → Kafka, exactly once, by DataForge and by Kafka Streams, on the same broker (a child
 * process, so that its CPU is not counted), the same topic and the same job, alternating, each run into a new output
 * topic and group; the first round warms both JVM paths and is not counted:
 * <pre>
 *   Kafka Streams: stream(in) → Jackson readTree → type IN (click, purchase) → HashMap of user_profiles.csv → put 5
 *                  fields → writeValueAsBytes → to(out); processing.guarantee exactly_once_v2, 2 stream threads
 *   DataForge:     perf/pipelines/kafka-filter-enrich-kafka.yaml (kafka source → filter → enrich → kafka sink,
 *                  transactional)
 * </pre>
 * Each run is timed from the start of the engine to the commit of its last record, and its CPU is this process's
 * CPU time over the run. Both outputs are read back (read_committed): every expected record exactly once by
 * event_id, and the enrichment of each checked against the profiles. Usage:
 * {@code KafkaToKafkaVsKafkaStreams [records] [runs] [partitions]}.
 */
public final class KafkaToKafkaVsKafkaStreams
{
    private static final String IN = "user-events";
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaToKafkaVsKafkaStreams()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        compare(args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000, args.length > 1 ? Integer.parseInt(args[1]) :
            3, args.length > 2 ? Integer.parseInt(args[2]) : 4);
    }

    /**
     * Runs the comparison and prints each run and the medians.
     *
     * @return the medians: Kafka Streams records/s and CPU us per record, then DataForge's.
     */
    public static double[] compare(final int records, final int runs, final int partitions) throws Exception
    {
        final Map<Long, String[]> profiles = profiles(Path.of("examples/user_profiles.csv"));
        final Path work = Files.createTempDirectory("k2k-bench");
        final Process broker = startBroker(work, partitions);
        try
        {
            final String brokers = bootstrap(broker);
            final long expected = KafkaSourceVsBareConsumer.produce(brokers, IN, records, Set.of("click", "purchase"));
            System.out.printf(Locale.ROOT, "%,d JSON records in %d partitions, %,d pass the filter; broker pid %d%n",
                records, partitions, expected, broker.pid());
            final List<double[]> ks = new ArrayList<>();
            final List<double[]> df = new ArrayList<>();
            for (int run = 0; run <= runs; run++)
            {
                final double b0 = cpuSeconds(broker.pid());
                final double[] k = kafkaStreams(brokers, run, records, profiles, work);
                final double b1 = cpuSeconds(broker.pid());
                verify(brokers, "ks-out-" + run, expected, profiles);
                final double b2 = cpuSeconds(broker.pid());
                final double[] d = dataforge(brokers, run, records);
                final double b3 = cpuSeconds(broker.pid());
                verify(brokers, "df-out-" + run, expected, profiles);
                System.out.printf(Locale.ROOT, "%s: Kafka Streams %,.0f records/s, %.2f CPU s (%.2f us/record); " +
                    "DataForge %,.0f records/s, %.2f CPU s (%.2f us/record); throughput ratio %.2f, CPU ratio %.2f; " +
                    "first record after %.2f s (Kafka Streams) and %.2f s (DataForge); broker CPU %.2f s " +
                    "(Kafka Streams) and %.2f s (DataForge)%n",
                    run == 0 ? "warm-up" : "run " + run, k[0], k[1], k[1] * 1e6 / records, d[0], d[1],
                    d[1] * 1e6 / records, d[0] / k[0], d[1] / k[1], k[2], d[2], b1 - b0, b3 - b2);
                if (run > 0)
                {
                    ks.add(k);
                    df.add(d);
                }
            }
            final double kr = median(ks, 0);
            final double kc = median(ks, 1);
            final double dr = median(df, 0);
            final double dc = median(df, 1);
            System.out.printf(Locale.ROOT, "median: Kafka Streams %,.0f records/s, %.2f us CPU/record; DataForge " +
                "%,.0f records/s, %.2f us CPU/record; DataForge / Kafka Streams: throughput %.2f, CPU per record " +
                "%.2f (%,d records, %d partitions, %d runs, %d cores, %s)%n", kr, kc * 1e6 / records, dr,
                dc * 1e6 / records, dr / kr, dc / kc, records, partitions, runs,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
            return new double[] {kr, kc * 1e6 / records, dr, dc * 1e6 / records};
        }
        finally
        {
            broker.destroy();
            broker.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static double median(final List<double[]> runs, final int k)
    {
        return runs.stream().mapToDouble(x -> x[k]).sorted().toArray()[runs.size() / 2];
    }

    private static Map<Long, String[]> profiles(final Path csv) throws IOException
    {
        final Map<Long, String[]> out = new HashMap<>();
        final List<String> lines = Files.readAllLines(csv);
        for (final String line : lines.subList(1, lines.size()))
        {
            final String[] v = line.split(",", -1);
            out.put(Long.parseLong(v[0]), v);
        }
        return out;
    }

    private static Process startBroker(final Path work, final int partitions) throws IOException
    {
        final List<String> cmd = ChildJvm.java();
        cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), "dev.dataforge.core.cli.Main",
            "kafka", "--port", "0", "--data", work.resolve("kafka").toString(), "--topic", IN, "--partitions",
            Integer.toString(partitions)));
        return new ProcessBuilder(cmd).redirectError(work.resolve("broker.log").toFile()).start();
    }

    private static String bootstrap(final Process broker) throws Exception
    {
        final String line = ChildJvm.brokerReady(broker);
        if (line == null)
        {
            throw new IllegalStateException("the broker exited before it was ready");
        }
        final String b = line.substring(line.indexOf("bootstrap ") + "bootstrap ".length()).trim();
        return b.split("[ ,;]")[0];
    }

    /** @return the CPU seconds (user and system) of a process so far, from /proc (Linux; NaN elsewhere). */
    private static double cpuSeconds(final long pid)
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (USER_HZ)
        }
        catch (final IOException | RuntimeException e)
        {
            return Double.NaN;
        }
    }

    /** @return this process's CPU time so far (user and system, every thread). */
    static long cpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    /** @return records/s and CPU seconds of one Kafka Streams run over the whole input topic. */
    private static double[] kafkaStreams(final String brokers, final int run, final int records,
        final Map<Long, String[]> profiles, final Path work) throws Exception
    {
        final String out = "ks-out-" + run;
        createTopic(brokers, out);
        final AtomicLong seen = new AtomicLong();
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(IN, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
            .peek((k, v) -> seen.incrementAndGet())
            .flatMapValues(v -> enrich(v, profiles))
            .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        final Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "ks-bench-" + run);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("ks-state").toString());
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        final long cpu0 = cpuNanos();
        final long start = System.nanoTime();
        final KafkaStreams streams = new KafkaStreams(builder.build(), p);
        streams.start();
        long first = 0;
        while (seen.get() < records)
        {
            if (first == 0 && seen.get() > 0)
            {
                first = System.nanoTime();
            }
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING)
            {
                throw new IllegalStateException("Kafka Streams stopped: " + streams.state());
            }
            LockSupport.parkNanos(1_000_000);
        }
        streams.close(); // commits the last transaction
        final long end = System.nanoTime();
        final long cpu = cpuNanos() - cpu0;
        streams.cleanUp();
        return new double[] {records / ((end - start) / 1e9), cpu / 1e9, (first - start) / 1e9};
    }

    /** The Kafka Streams side of the job, as a user writes it with Jackson. */
    private static List<byte[]> enrich(final byte[] value, final Map<Long, String[]> profiles)
    {
        try
        {
            final ObjectNode event = (ObjectNode)JSON.readTree(value);
            final String type = event.path("type").asText();
            if (!type.equals("click") && !type.equals("purchase"))
            {
                return List.of();
            }
            final String[] profile = profiles.get(event.path("user_id").asLong());
            if (profile == null)
            {
                event.putNull("name").putNull("tier").putNull("country").putNull("signup_date")
                    .putNull("lifetime_value");
            }
            else
            {
                event.put("name", profile[1]).put("tier", profile[2]).put("country", profile[3])
                    .put("signup_date", profile[4]).put("lifetime_value", new java.math.BigDecimal(profile[5]));
            }
            return List.of(JSON.writeValueAsBytes(event));
        }
        catch (final IOException e)
        {
            throw new IllegalStateException(e);
        }
    }

    /** @return records/s and CPU seconds of one DataForge run over the whole input topic. */
    private static double[] dataforge(final String brokers, final int run, final int records) throws Exception
    {
        final String out = "df-out-" + run;
        createTopic(brokers, out);
        final Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KAFKA_BROKERS", brokers);
        env.put("TOPIC", IN);
        env.put("GROUP", "df-bench-" + run);
        env.put("OUT", out);
        final long cpu0 = cpuNanos();
        final long start = System.nanoTime();
        final Pipeline pipeline = new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(env)
            .load(Path.of("perf/pipelines/kafka-filter-enrich-kafka.yaml"))),
            RunOptions.unbounded().withMaxEvents(records));
        final long[] first = {0};
        final Thread sampler = new Thread(() ->
        {
            while (first[0] == 0 && !Thread.currentThread().isInterrupted())
            {
                if (pipeline.metrics().eventsIn() > 0)
                {
                    first[0] = System.nanoTime();
                }
                LockSupport.parkNanos(1_000_000);
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        final RunResult r = pipeline.run();
        final long end = System.nanoTime();
        sampler.interrupt();
        final long cpu = cpuNanos() - cpu0;
        if (r.error() != null || !r.countsAddUp() || r.deadLetters() != 0)
        {
            throw new IllegalStateException("run failed: " + r);
        }
        return new double[] {records / ((end - start) / 1e9), cpu / 1e9, (first[0] - start) / 1e9};
    }

    private static void createTopic(final String brokers, final String topic) throws Exception
    {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers)))
        {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short)1))).all().get();
        }
    }

    /** Reads the output back (read_committed): each expected event once, enriched right. */
    private static void verify(final String brokers, final String topic, final long expected,
        final Map<Long, String[]> profiles) throws Exception
    {
        final Properties p = new Properties();
        p.put("bootstrap.servers", brokers);
        p.put("group.id", "verify-" + topic);
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("max.poll.records", "5000");
        final java.util.BitSet ids = new java.util.BitSet();
        long count = 0;
        long idle = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p))
        {
            consumer.subscribe(List.of(topic));
            while (idle < 50 && count <= expected)
            {
                final var polled = consumer.poll(Duration.ofMillis(200));
                idle = polled.isEmpty() ? idle + 1 : count < expected ? 0 : idle + 1;
                for (final ConsumerRecord<byte[], byte[]> rec : polled)
                {
                    final JsonNode e = JSON.readTree(rec.value());
                    final long id = e.path("event_id").asLong();
                    if (ids.get((int)id))
                    {
                        throw new IllegalStateException(topic + ": event " + id + " twice");
                    }
                    ids.set((int)id);
                    count++;
                    final String[] profile = profiles.get(e.path("user_id").asLong());
                    final String tier = e.path("tier").isNull() ? null : e.path("tier").asText();
                    if (profile == null ? tier != null : !profile[2].equals(tier))
                    {
                        throw new IllegalStateException(topic + ": event " + id + " enriched wrong: " + e);
                    }
                }
            }
        }
        if (count != expected)
        {
            throw new IllegalStateException(topic + ": " + count + " records, expected " + expected);
        }
    }
}

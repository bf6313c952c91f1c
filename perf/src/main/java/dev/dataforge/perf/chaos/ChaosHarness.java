package dev.dataforge.perf.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.perf.ChildJvm;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Proves exactly-once delivery the hard way. It runs a Kafka broker, a producer of known events and the pipeline
 * (Kafka → filter → enrich → a transactional sink) as child processes, kills pipeline processes with SIGKILL at
 * seeded random moments and starts them again (a supervisor's restart), optionally runs several instances in one
 * consumer group (adding one and removing one mid-run) and stops the database or the broker for a while; at the end
 * it compares the sink with what was produced.
 * <pre>
 *   producer ──► broker (chaos-in, P partitions) ──► pipeline instance 0..K-1 (one group) ──► DuckDB | PostgreSQL |
 *                                                        ▲ SIGKILL, restart                         Kafka (chaos-out)
 * </pre>
 * The last line it prints is exactly {@code lost=N duplicated=N out_of_order=N}: events that passed the filter but
 * are not in the sink, events in the sink more often than produced, and events that reached the sink before an
 * earlier event of their source partition. It exits 0 only when all three are 0.
 */
public final class ChaosHarness
{
    /** What to run; see {@link #parse}. */
    public record Options(String sink, int kills, long seed, int instances, Duration outage, long events, long rate,
        int partitions, Path work, boolean journal)
    {
        public Options(final String sink, final int kills, final long seed, final int instances, final Duration outage,
            final long events, final long rate, final int partitions, final Path work)
        {
            this(sink, kills, seed, instances, outage, events, rate, partitions, work, false);
        }

        /** @return the sinks the pipeline writes: one, or DuckDB and PostgreSQL for {@link #BOTH}. */
        List<String> sinks()
        {
            return sink.equals(BOTH) ? List.of("duckdb", "postgres") : List.of(sink);
        }
    }

    /** {@code --sink} of a pipeline with two sinks, each receiving every event: both must be exact. */
    static final String BOTH = "duckdb+postgres";

    /** What a run found; with several sinks, expected, delivered, lost, duplicated and out of order add theirs up. */
    public record Result(long produced, long expected, long delivered, long lost, long duplicated, long outOfOrder,
        int kills, int exits)
    {
        public boolean exact()
        {
            return lost == 0 && duplicated == 0 && outOfOrder == 0;
        }

        public String lastLine()
        {
            return "lost=" + lost + " duplicated=" + duplicated + " out_of_order=" + outOfOrder;
        }
    }

    /** Seconds an instance lives at least and at most before the next kill. */
    private static final double MIN_UPTIME = 0.3;
    private static final double MAX_UPTIME = 6.0;

    private static final String IN = "chaos-in";
    private static final String OUT = "chaos-out";
    private static final String GROUP = "chaos";
    private static final String TABLE = "chaos_events";

    private final Options options;
    private final PrintStream log;
    private final long startNanos = System.nanoTime();
    private final List<Process> instances = new ArrayList<>();
    private final Random random;
    private Process broker;
    private Process producer;
    private EmbeddedPostgres postgres;
    private int brokerPort;
    private int postgresPort;
    private int exits;

    private ChaosHarness(final Options options, final PrintStream log)
    {
        // absolute: the children run in the work directory, and a relative work path given to them would not be found
        this.options = new Options(options.sink(), options.kills(), options.seed(), options.instances(),
            options.outage(), options.events(), options.rate(), options.partitions(),
            options.work().toAbsolutePath().normalize(), options.journal());
        this.log = log;
        this.random = new Random(options.seed());
    }

    private static final String USAGE = "usage: chaos [--sink duckdb|postgres|kafka|duckdb+postgres] [--kills N] " +
        "[--seed S] [--instances K] [--outage 30s] [--events N] [--rate N] [--partitions P] [--work DIR] " +
        "[--journal]\n" +
        "  runs a Kafka broker, a producer of known events and the pipeline Kafka -> filter -> enrich -> sink as child\n" +
        "  processes, kills pipeline processes with SIGKILL at seeded random moments and starts them again, then\n" +
        "  compares the sink with the input topic; the last line is lost=N duplicated=N out_of_order=N, and the exit\n" +
        "  status is 0 only when all three are 0. --journal runs the pipeline with its journal on (each instance\n" +
        "  its own, in its directory): a killed instance re-delivers from it what its sinks had not committed.\n" +
        "  defaults: --sink duckdb --kills 10 --seed 1 --instances 1 --events 60000 --rate 3000 --partitions 4\n" +
        "  --work data/chaos";

    public static void main(final String[] args) throws Exception
    {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")))
        {
            System.out.println(USAGE);
            return;
        }
        final Options o;
        try
        {
            o = parse(args);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        final Result r = run(o, System.out);
        System.out.println(r.lastLine());
        System.exit(r.exact() ? 0 : 1);
    }

    /** @throws IllegalArgumentException saying which argument is wrong. */
    public static Options parse(final String[] args)
    {
        String sink = "duckdb";
        int kills = 10;
        long seed = 1;
        int instances = 1;
        Duration outage = Duration.ZERO;
        long events = 60_000;
        long rate = 3_000;
        int partitions = 4;
        Path work = Path.of("data", "chaos");
        boolean journal = false;
        for (int i = 0; i < args.length; i++)
        {
            final String a = args[i];
            if (a.equals("--journal"))
            {
                journal = true;
                continue;
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException(a + " needs a value");
            }
            final String v = args[++i];
            try
            {
                switch (a)
                {
                    case "--sink": sink = v; break;
                    case "--kills": kills = Integer.parseInt(v); break;
                    case "--seed": seed = Long.parseLong(v); break;
                    case "--instances": instances = Integer.parseInt(v); break;
                    case "--outage": outage = parseDuration(v); break;
                    case "--events": events = Long.parseLong(v); break;
                    case "--rate": rate = Long.parseLong(v); break;
                    case "--partitions": partitions = Integer.parseInt(v); break;
                    case "--work": work = Path.of(v); break;
                    default: throw new IllegalArgumentException("unknown option " + a);
                }
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException(a + " must be a number, not '" + v + "'");
            }
        }
        if (!Set.of("duckdb", "postgres", "kafka", BOTH).contains(sink))
        {
            throw new IllegalArgumentException("--sink must be duckdb, postgres, kafka or " + BOTH + " (two sinks " +
                "of one pipeline), not '" + sink + "'");
        }
        final Options o = new Options(sink, kills, seed, instances, outage, events, rate, partitions, work, journal);
        if (o.sinks().contains("duckdb") && instances > 1)
        {
            throw new IllegalArgumentException("--instances " + instances + ": a DuckDB file takes one process at a " +
                "time; use --sink postgres or kafka for several instances");
        }
        if (o.sink().equals("duckdb") && !outage.isZero())
        {
            throw new IllegalArgumentException("--outage: DuckDB is a file in the pipeline's process, it has no " +
                "outage of its own; use --sink postgres, kafka or " + BOTH + " (PostgreSQL goes down)");
        }
        if (kills < 0 || instances < 1 || events < 1 || rate < 1 || partitions < 1)
        {
            throw new IllegalArgumentException("--kills must be 0 or more; --instances, --events, --rate and " +
                "--partitions at least 1");
        }
        return o;
    }

    private static Duration parseDuration(final String v)
    {
        if (v.endsWith("ms"))
        {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s"))
        {
            return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        if (v.endsWith("m"))
        {
            return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        throw new IllegalArgumentException("a duration such as 30s or 2m, not '" + v + "'");
    }

    /** Runs the scenario and checks the sink; prints what it does to {@code log}. */
    public static Result run(final Options options, final PrintStream log) throws Exception
    {
        final ChaosHarness h = new ChaosHarness(options, log);
        try
        {
            return h.run();
        }
        finally
        {
            h.stopAll();
        }
    }

    private void say(final String line)
    {
        log.printf("[chaos %6.1fs] %s%n", (System.nanoTime() - startNanos) / 1e9, line);
    }

    private Result run() throws Exception
    {
        clean(options.work());
        Files.createDirectories(options.work());
        Files.copy(profiles(), options.work().resolve("user_profiles.csv"));
        brokerPort = freePort();
        startBroker();
        if (options.sink().equals("kafka"))
        {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers())))
            {
                admin.createTopics(List.of(new NewTopic(OUT, options.partitions(), (short)1))).all()
                    .get(60, TimeUnit.SECONDS);
            }
        }
        if (options.sinks().contains("postgres"))
        {
            postgresPort = freePort();
            postgres = startPostgres();
        }
        Files.writeString(options.work().resolve("chaos.yaml"), pipelineYaml());
        for (int i = 0; i < options.instances(); i++)
        {
            instances.add(startInstance(i));
        }
        if (postgres != null)
        {
            numberRows();
        }
        producer = start("producer", List.of(ChaosProducer.class.getName(), brokers(), IN,
            Long.toString(options.events()), Long.toString(options.rate()), Long.toString(options.seed())), Map.of());
        final int kills = unleash();
        say("producer done: " + waitFor(producer, Duration.ofMinutes(10)).trim());
        final List<Produced> produced = readInput();
        say("the topic holds " + produced.size() + " events; waiting for the pipeline to catch up");
        awaitCaughtUp(Duration.ofMinutes(4));
        for (final Process p : instances)
        {
            if (p != null)
            {
                p.destroy(); // SIGTERM: a clean stop, as a supervisor stops it
            }
        }
        for (final Process p : instances)
        {
            if (p != null && !p.waitFor(60, TimeUnit.SECONDS))
            {
                p.destroyForcibly().waitFor();
            }
        }
        instances.clear();
        Result total = null;
        for (final String sink : options.sinks())
        {
            say("sink " + sink + ":");
            final Result r = check(produced, readSink(sink), kills);
            total = total == null ? r : new Result(r.produced(), total.expected() + r.expected(),
                total.delivered() + r.delivered(), total.lost() + r.lost(), total.duplicated() + r.duplicated(),
                total.outOfOrder() + r.outOfOrder(), kills, exits);
        }
        return total;
    }

    /**
     * Numbers the rows of the sink's table as they are inserted (a column {@code seq} from a sequence, which the
     * sink's COPY leaves to its default): PostgreSQL has no order of its own to check per-partition order with.
     * Waits for the first instance to create the table (before any event is produced).
     */
    private void numberRows() throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true)
        {
            supervise();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement())
            {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name " +
                    "= '" + TABLE + "'"))
                {
                    rs.next();
                    if (rs.getLong(1) == 1)
                    {
                        s.execute("ALTER TABLE " + TABLE + " ADD COLUMN seq BIGSERIAL");
                        return;
                    }
                }
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("no instance created table " + TABLE + " within 2 minutes");
            }
            Thread.sleep(200);
        }
    }

    /** Kills (and restarts), churns and stops the database or broker while the producer runs; @return kills. */
    private int unleash() throws Exception
    {
        final double seconds = (double)options.events() / options.rate();
        final List<double[]> plan = new ArrayList<>(); // {time, kind}: 0 kill, 1 add, 2 remove, 3 outage
        // kills one after another, each after a random uptime: some during start-up (joining, claiming), most
        // while events flow (mid-batch, mid-commit)
        double at = (System.nanoTime() - startNanos) / 1e9;
        for (int i = 0; i < options.kills(); i++)
        {
            at += MIN_UPTIME + (MAX_UPTIME - MIN_UPTIME) * random.nextDouble();
            plan.add(new double[] {at, 0});
        }
        final double start = (System.nanoTime() - startNanos) / 1e9;
        if (options.instances() > 1)
        {
            plan.add(new double[] {start + seconds * 0.4, 1});
            plan.add(new double[] {start + seconds * 0.7, 2});
        }
        if (!options.outage().isZero())
        {
            plan.add(new double[] {start + seconds * 0.3, 3});
        }
        plan.sort(Comparator.comparingDouble(a -> a[0]));
        int kills = 0;
        for (final double[] step : plan)
        {
            sleepUntil(step[0]);
            supervise();
            switch ((int)step[1])
            {
                case 0:
                {
                    final int slot = randomLiveSlot();
                    final Process p = instances.get(slot);
                    p.destroyForcibly().waitFor();
                    kills++;
                    say("kill " + kills + "/" + options.kills() + ": instance " + slot + " (pid " + p.pid() +
                        ") SIGKILL; starting it again");
                    instances.set(slot, startInstance(slot));
                    break;
                }
                case 1:
                    instances.add(startInstance(instances.size()));
                    say("added instance " + (instances.size() - 1) + " to the group");
                    break;
                case 2:
                {
                    final int slot = randomLiveSlot();
                    instances.get(slot).destroyForcibly().waitFor();
                    instances.set(slot, null);
                    say("removed instance " + slot + " for good (SIGKILL)");
                    break;
                }
                default:
                    outage();
                    break;
            }
        }
        return kills;
    }

    private void outage() throws Exception
    {
        if (options.sinks().contains("postgres"))
        {
            say("PostgreSQL down for " + options.outage().toSeconds() + " s");
            postgres.close();
            sleepFor(options.outage());
            postgres = startPostgres();
            say("PostgreSQL up again");
        }
        else
        {
            say("the Kafka broker down for " + options.outage().toSeconds() + " s (SIGKILL)");
            broker.destroyForcibly().waitFor();
            sleepFor(options.outage());
            startBroker();
            say("the Kafka broker up again");
        }
    }

    /** Starts again an instance that exited by itself (a supervisor's restart), and counts it. */
    private void supervise() throws IOException
    {
        for (int slot = 0; slot < instances.size(); slot++)
        {
            final Process p = instances.get(slot);
            if (p != null && !p.isAlive())
            {
                exits++;
                say("instance " + slot + " exited by itself with status " + p.exitValue() + "; starting it again");
                instances.set(slot, startInstance(slot));
            }
        }
    }

    private int randomLiveSlot()
    {
        final List<Integer> live = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++)
        {
            if (instances.get(i) != null)
            {
                live.add(i);
            }
        }
        return live.get(random.nextInt(live.size()));
    }

    private void sleepUntil(final double seconds) throws Exception
    {
        while ((System.nanoTime() - startNanos) / 1e9 < seconds)
        {
            supervise();
            Thread.sleep(100);
        }
    }

    private void sleepFor(final Duration d) throws Exception
    {
        final long until = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < until)
        {
            supervise();
            Thread.sleep(100);
        }
    }

    // ---- the parts

    private String brokers()
    {
        return "localhost:" + brokerPort;
    }

    private void startBroker() throws Exception
    {
        broker = start("broker", List.of("dev.dataforge.core.cli.Main", "kafka", "--port",
            Integer.toString(brokerPort), "--data", options.work().resolve("kafka").toString(), "--topic", IN,
            "--partitions", Integer.toString(options.partitions())), Map.of());
        final String line = ChildJvm.brokerReady(broker);
        if (line == null)
        {
            throw new IllegalStateException("the broker exited before it was ready (" + brokerLog() + ")");
        }
        say("broker: " + line);
    }

    private String brokerLog()
    {
        return "see " + options.work().resolve("broker.log");
    }

    /** Starts PostgreSQL on its data directory (created on the first start; kept when it stops, for the outage). */
    private EmbeddedPostgres startPostgres() throws IOException
    {
        return EmbeddedPostgres.builder().setPort(postgresPort).setDataDirectory(options.work().resolve("pg"))
            .setCleanDataDirectory(false).setRegisterShutdownHook(true).start();
    }

    private Process startInstance(final int slot) throws IOException
    {
        return start("instance-" + slot, List.of("dev.dataforge.core.cli.Main", "run",
            options.work().resolve("chaos.yaml").toString(), "--no-progress"), Map.of("CHAOS_INSTANCE",
            "chaos-" + slot));
    }

    /** Starts a Java child process on this JVM's class path, its output appended to {@code work/name.log}. */
    private Process start(final String name, final List<String> mainAndArgs, final Map<String, String> env)
        throws IOException
    {
        final List<String> cmd = ChildJvm.java();
        cmd.add(name.equals("broker") ? "-Xmx768m" : "-Xmx384m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.addAll(mainAndArgs);
        final ProcessBuilder pb = new ProcessBuilder(cmd).directory(options.work().toFile());
        pb.environment().putAll(env);
        final Path logFile = options.work().resolve(name + ".log");
        pb.redirectErrorStream(!name.equals("broker"));
        if (name.equals("broker"))
        {
            pb.redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        }
        else
        {
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        }
        if (name.equals("producer"))
        {
            pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        }
        return pb.start();
    }

    private static String waitFor(final Process p, final Duration timeout) throws Exception
    {
        final CompletableFuture<String> out = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (final IOException e)
            {
                return "";
            }
        });
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            throw new IllegalStateException("the producer did not finish within " + timeout);
        }
        if (p.exitValue() != 0)
        {
            throw new IllegalStateException("the producer failed (status " + p.exitValue() + ")");
        }
        return out.get(10, TimeUnit.SECONDS);
    }

    private String sinkYaml(final String sink, final String indent)
    {
        final String body;
        switch (sink)
        {
            case "duckdb":
                body = "type: duckdb\n" + indent + "config: {path: chaos.duckdb, table: " + TABLE + "}\n";
                break;
            case "postgres":
                body = "type: postgres\n" + indent + "config: {url: 'jdbc:postgresql://localhost:" + postgresPort +
                    "/postgres', user: postgres, table: " + TABLE + "}\n";
                break;
            default:
                body = "type: kafka\n" + indent + "config: {brokers: '" + brokers() + "', topic: " + OUT +
                    ", key: event.user_id}\n";
                break;
        }
        return indent + body +
            indent + "batch: {max_events: 2000, linger: 50ms}\n" +
            indent + "retry: {max_attempts: 100000, initial_backoff: 100ms, max_backoff: 2s}\n";
    }

    private String pipelineYaml()
    {
        final StringBuilder sinks = new StringBuilder();
        if (options.sinks().size() == 1)
        {
            sinks.append("  sink:\n").append(sinkYaml(options.sink(), "    "));
        }
        else
        {
            sinks.append("  sinks:\n");
            for (final String sink : options.sinks())
            {
                sinks.append("    ").append(sink).append(":\n").append(sinkYaml(sink, "      "));
            }
        }
        return "# written by the chaos harness\n" +
            "pipeline:\n" +
            "  name: chaos\n" +
            "  source:\n" +
            "    type: kafka\n" +
            "    config:\n" +
            "      brokers: '" + brokers() + "'\n" +
            "      topic: " + IN + "\n" +
            "      group: " + GROUP + "\n" +
            // static membership: a killed instance started again takes its partitions back at once
            "      properties: {group.instance.id: '${CHAOS_INSTANCE}', session.timeout.ms: '6000', " +
            "heartbeat.interval.ms: '1000'}\n" +
            "  transforms:\n" +
            "    - type: filter\n" +
            "      condition: event.type IN ('click', 'purchase')\n" +
            "    - type: enrich\n" +
            "      lookup: user_profiles\n" +
            "      key: event.user_id\n" +
            sinks +
            "  lookups: {user_profiles: {type: file, config: {path: user_profiles.csv, key: user_id}}}\n" +
            "  runtime: {ring_size: 4096}\n" +
            (options.journal() ? "  journal: {enabled: true, path: 'journal-${CHAOS_INSTANCE}'}\n" : "") +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
            // each sink writes its own dead letters: with two, each to its default file (data/chaos/<sink>/...)
            (options.sinks().size() == 1 ? "  dead_letter: {config: {path: 'dead-letters-${CHAOS_INSTANCE}.jsonl'}}\n" :
                "");
    }

    // ---- the check

    /** An input record: where it is and what it holds. */
    private record Produced(int partition, long offset, long eventId, boolean passes)
    {
    }

    private Properties consumer()
    {
        final Properties p = new Properties();
        p.put("bootstrap.servers", brokers());
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        return p;
    }

    private List<Produced> readInput() throws Exception
    {
        final ObjectMapper json = new ObjectMapper();
        final List<Produced> out = new ArrayList<>();
        readTopic(IN, r ->
        {
            final JsonNode e = json.readTree(r.value());
            final String type = e.path("type").asText();
            out.add(new Produced(r.partition(), r.offset(), e.get("event_id").asLong(),
                type.equals("click") || type.equals("purchase")));
        });
        return out;
    }

    private interface RecordHandler
    {
        void accept(ConsumerRecord<byte[], byte[]> r) throws Exception;
    }

    private void readTopic(final String topic, final RecordHandler handler) throws Exception
    {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumer()))
        {
            final List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic, Duration.ofSeconds(60)).forEach(i -> parts.add(new TopicPartition(topic,
                i.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            final Map<TopicPartition, Long> end = c.endOffsets(parts);
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline)
            {
                for (final ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500)))
                {
                    handler.accept(r);
                }
            }
        }
    }

    /** Waits until the group's committed offsets reach the end of every input partition. */
    private void awaitCaughtUp(final Duration timeout) throws Exception
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        long lastLag = -1;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers()));
            KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumer()))
        {
            final List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(IN, Duration.ofSeconds(60)).forEach(i -> parts.add(new TopicPartition(IN,
                i.partition())));
            final Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (System.nanoTime() < deadline)
            {
                supervise();
                final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                long lag = 0;
                for (final TopicPartition tp : parts)
                {
                    final OffsetAndMetadata o = committed.get(tp);
                    lag += end.get(tp) - (o == null ? 0 : o.offset());
                }
                if (lag == 0)
                {
                    say("caught up: the group's offsets are at the end of every partition");
                    return;
                }
                if (lag != lastLag)
                {
                    say("lag " + lag);
                    lastLag = lag;
                }
                Thread.sleep(500);
            }
        }
        say("did not catch up within " + timeout.toSeconds() + " s; checking what is there");
    }

    /** @return the event ids in {@code sink}, in the order it holds them, per source partition for a topic. */
    private List<Long> readSink(final String sink) throws Exception
    {
        final List<Long> ids = new ArrayList<>();
        switch (sink)
        {
            case "duckdb":
                try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + options.work()
                    .resolve("chaos.duckdb"));
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT event_id FROM " + TABLE + " ORDER BY rowid"))
                {
                    while (rs.next())
                    {
                        ids.add(rs.getLong(1));
                    }
                }
                break;
            case "postgres":
                // insertion order: seq, from a sequence the rows take as they are copied in
                try (Connection c = postgres.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT event_id FROM " + TABLE + " ORDER BY seq"))
                {
                    while (rs.next())
                    {
                        ids.add(rs.getLong(1));
                    }
                }
                break;
            default:
                final ObjectMapper json = new ObjectMapper();
                final Map<Integer, List<Long>> byPartition = new HashMap<>();
                readTopic(OUT, r -> byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>())
                    .add(json.readTree(r.value()).get("event_id").asLong()));
                byPartition.values().forEach(ids::addAll);
                break;
        }
        return ids;
    }

    private Result check(final List<Produced> produced, final List<Long> sink, final int kills)
    {
        final Map<Long, Integer> expected = new HashMap<>();
        final Map<Long, Produced> where = new HashMap<>();
        for (final Produced p : produced)
        {
            if (p.passes())
            {
                expected.merge(p.eventId(), 1, Integer::sum);
                where.putIfAbsent(p.eventId(), p);
            }
        }
        final Map<Long, Integer> actual = new HashMap<>();
        final Map<Integer, Long> lastOffset = new HashMap<>();
        long outOfOrder = 0;
        for (final long id : sink)
        {
            if (actual.merge(id, 1, Integer::sum) > 1)
            {
                continue; // a duplicate: counted below, not an order error
            }
            final Produced p = where.get(id);
            if (p == null)
            {
                continue;
            }
            final Long last = lastOffset.get(p.partition());
            if (last != null && p.offset() < last)
            {
                if (outOfOrder++ < 5)
                {
                    say("out of order: event " + id + " of partition " + p.partition() + " at offset " + p.offset() +
                        " came after offset " + last);
                }
            }
            else
            {
                lastOffset.put(p.partition(), p.offset());
            }
        }
        long lost = 0;
        long duplicated = 0;
        for (final Map.Entry<Long, Integer> e : expected.entrySet())
        {
            final int got = actual.getOrDefault(e.getKey(), 0);
            lost += Math.max(0, e.getValue() - got);
            duplicated += Math.max(0, got - e.getValue());
        }
        for (final Map.Entry<Long, Integer> e : actual.entrySet())
        {
            if (!expected.containsKey(e.getKey()))
            {
                duplicated += e.getValue(); // never produced as a passing event
            }
        }
        final long want = expected.values().stream().mapToLong(Integer::longValue).sum();
        say("produced " + produced.size() + " events, " + want + " pass the filter; the sink holds " + sink.size() +
            "; " + kills + " kills, " + exits + " restarts after an exit");
        return new Result(produced.size(), want, sink.size(), lost, duplicated, outOfOrder, kills, exits);
    }

    // ---- helpers

    private void stopAll()
    {
        for (final Process p : instances)
        {
            if (p != null)
            {
                p.destroyForcibly();
            }
        }
        if (producer != null)
        {
            producer.destroyForcibly();
        }
        if (broker != null)
        {
            broker.destroy();
            try
            {
                if (!broker.waitFor(30, TimeUnit.SECONDS))
                {
                    broker.destroyForcibly();
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (postgres != null)
        {
            try
            {
                postgres.close();
            }
            catch (final IOException e)
            {
                log.println("closing PostgreSQL: " + e);
            }
        }
    }

    /** @return this JVM's class path with every entry absolute: the children run in the work directory. */
    private static String classPath()
    {
        final List<String> out = new ArrayList<>();
        for (final String e : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            out.add(e.endsWith("*") ? Path.of(e.substring(0, e.length() - 1)).toAbsolutePath() + File.separator + "*" : Path.of(e).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, out);
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** @return the example's user profiles: under DATAFORGE_HOME, or the first examples/ above the working dir. */
    private static Path profiles()
    {
        final String home = System.getenv("DATAFORGE_HOME");
        if (home != null && Files.isRegularFile(Path.of(home, "examples", "user_profiles.csv")))
        {
            return Path.of(home, "examples", "user_profiles.csv");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path p = dir.resolve("examples").resolve("user_profiles.csv");
            if (Files.isRegularFile(p))
            {
                return p;
            }
        }
        throw new IllegalStateException("cannot find examples/user_profiles.csv (set DATAFORGE_HOME)");
    }

    private static void clean(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> all = Files.walk(dir))
        {
            for (final Path p : all.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }
}

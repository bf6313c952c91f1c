package dev.dataforge.perf.bench;

import dev.dataforge.perf.KafkaToKafkaVsKafkaStreams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./run.sh bench}: measures DataForge on this host and writes one self-contained HTML report.
 * <pre>
 *   1. warm-up          DataForge and the queue peer at 1M events/s, not counted
 *   2. full speed       the generator pipeline unpaced, DataForge and the queue peer (threads + ArrayBlockingQueue)
 *   3. fixed rates      open loop, latency from each event's due time; end to end and per stage; allocation per
 *                       event of the stage threads; GC pauses; the queue peer at the same rates
 *   4. sweep            the highest rate held with p99 under --p99 (full: bisected between the rates tried)
 *   5. long run         (full only) 60 s at 1M events/s: steady allocation and GC pauses
 *   6. Kafka            Kafka → filter → enrich → Kafka against Kafka Streams exactly_once_v2, one broker (unless
 *                       --no-kafka)
 * </pre>
 * Exit status: 0 report written, 1 a run failed, 2 bad command line.
 */
public final class Bench
{
    private Bench()
    {
    }

    /** The command line. */
    record Options(boolean quick, Path pipeline, Path out, long p99Nanos, boolean kafka)
    {
        static Options parse(final String[] args)
        {
            boolean quick = false;
            boolean kafka = true;
            Path pipeline = Path.of("perf/pipelines/generator-filter-enrich-blackhole.yaml");
            Path out = null;
            long p99 = 1_000_000;
            for (int i = 0; i < args.length; i++)
            {
                switch (args[i])
                {
                    case "--quick": quick = true; break;
                    case "--no-kafka": kafka = false; break;
                    case "--pipeline": pipeline = Path.of(value(args, i++)); break;
                    case "--out": out = Path.of(value(args, i++)); break;
                    case "--p99": p99 = nanos(value(args, i++)); break;
                    case "--help": case "-h": throw new IllegalArgumentException("");
                    default: throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            if (!Files.isRegularFile(pipeline))
            {
                throw new IllegalArgumentException("--pipeline: no file " + pipeline.toAbsolutePath());
            }
            if (out == null)
            {
                out = Path.of("data", "bench", LocalDateTime.now().format(DateTimeFormatter.ofPattern(
                    "yyyyMMdd-HHmmss")));
            }
            return new Options(quick, pipeline, out, p99, kafka);
        }

        private static String value(final String[] args, final int i)
        {
            if (i + 1 >= args.length || args[i + 1].startsWith("--"))
            {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            return args[i + 1];
        }

        /** @return {@code 500us}, {@code 1ms}, {@code 2s} in nanoseconds. */
        static long nanos(final String s)
        {
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s)")
                .matcher(s.trim());
            if (!m.matches())
            {
                throw new IllegalArgumentException("--p99 '" + s + "': a duration such as 500us, 1ms or 2s");
            }
            final double v = Double.parseDouble(m.group(1));
            final double unit = switch (m.group(2))
            {
                case "ns" -> 1;
                case "us" -> 1e3;
                case "ms" -> 1e6;
                default -> 1e9;
            };
            if (v * unit < 1)
            {
                throw new IllegalArgumentException("--p99 '" + s + "' is under a nanosecond");
            }
            return (long)(v * unit);
        }
    }

    private static final String USAGE = "usage: ./run.sh bench [--quick] [--pipeline FILE] [--out DIR] [--p99 1ms] " +
        "[--no-kafka]\n  --quick     a few minutes: fewer rates, shorter runs, a small Kafka comparison\n" +
        "  --pipeline  a generator pipeline whose rate is ${RATE} (default " +
        "perf/pipelines/generator-filter-enrich-blackhole.yaml)\n  --out       where the report goes (default " +
        "data/bench/<time>)\n  --p99       the latency target of the sweep (default 1ms)\n" +
        "  --no-kafka  leave out the Kafka to Kafka comparison";

    public static void main(final String[] args)
    {
        final Options o;
        try
        {
            o = Options.parse(args);
        }
        catch (final IllegalArgumentException e)
        {
            if (!e.getMessage().isEmpty())
            {
                System.err.println("error: " + e.getMessage());
            }
            System.err.println(USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        try
        {
            System.exit(run(o, String.join(" ", args)));
        }
        catch (final Exception e)
        {
            System.err.println("error: the bench failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static int run(final Options o, final String args) throws Exception
    {
        final long start = System.nanoTime();
        final String started = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        Files.createDirectories(o.out());
        final Map<String, String> machine = Machine.describe();
        System.out.println("bench " + (o.quick() ? "--quick " : "") + "on " + machine.get("CPU") + ", " +
            machine.get("cores (available to the JVM)") + " cores, " + machine.get("JDK"));
        final List<String> notes = new ArrayList<>();
        final List<Figures> fullSpeed = new ArrayList<>();
        final List<Figures> rates = new ArrayList<>();
        Figures longRun = null;
        double[] kafka = null;
        String kafkaNote = null;
        try (GcPauses gc = new GcPauses())
        {
            step("warm-up");
            DataForgeRun.run(o.pipeline(), 1_000_000, o.quick() ? 2_000_000 : 5_000_000, gc);
            QueuePeer.run(o.pipeline(), 1_000_000, o.quick() ? 1_000_000 : 3_000_000, gc);

            final int runs = o.quick() ? 2 : 3;
            final long events = o.quick() ? 5_000_000 : 20_000_000;
            for (int i = 0; i < runs; i++)
            {
                step(String.format(Locale.ROOT, "full speed, run %d of %d, %,d events", i + 1, runs, events));
                fullSpeed.add(print(DataForgeRun.run(o.pipeline(), 0, events, gc)));
                fullSpeed.add(print(QueuePeer.run(o.pipeline(), 0, events, gc)));
            }

            final long[] tried = o.quick() ? new long[] {100_000, 300_000, 1_000_000, 2_000_000} :
                new long[] {100_000, 250_000, 500_000, 1_000_000, 2_000_000, 3_000_000, 4_000_000};
            final int seconds = o.quick() ? 4 : 15;
            long held = 0;
            long missed = 0;
            for (final long rate : tried)
            {
                step(String.format(Locale.ROOT, "%,d events/s for %d s", rate, seconds));
                final Figures f = print(DataForgeRun.run(o.pipeline(), rate, rate * seconds, gc));
                rates.add(f);
                if (f.held() && f.e2e(99) <= o.p99Nanos())
                {
                    held = Math.max(held, rate);
                }
                else if (missed == 0 || rate < missed)
                {
                    missed = rate;
                }
                if (!o.quick() || rate == 1_000_000)
                {
                    rates.add(print(QueuePeer.run(o.pipeline(), rate, rate * seconds, gc)));
                }
            }
            if (!o.quick() && missed > held && held > 0)
            {
                long lo = held;
                long hi = missed;
                for (int i = 0; i < 3 && hi - lo > lo / 20; i++)
                {
                    final long rate = (lo + hi) / 2 / 10_000 * 10_000;
                    step(String.format(Locale.ROOT, "sweep: %,d events/s for %d s", rate, seconds));
                    final Figures f = print(DataForgeRun.run(o.pipeline(), rate, rate * seconds, gc));
                    rates.add(f);
                    if (f.held() && f.e2e(99) <= o.p99Nanos())
                    {
                        lo = rate;
                    }
                    else
                    {
                        hi = rate;
                    }
                }
                held = lo;
            }
            rates.sort((a, b) -> a.engine().equals(b.engine()) ? Long.compare(a.targetRate(), b.targetRate()) :
                a.engine().equals("DataForge") ? -1 : 1);
            if (!o.quick())
            {
                step("long run: 1,000,000 events/s for 60 s");
                longRun = print(DataForgeRun.run(o.pipeline(), 1_000_000, 60_000_000, gc));
            }
            if (o.kafka())
            {
                step("Kafka → filter → enrich → Kafka against Kafka Streams (a broker in a child process)");
                final int records = o.quick() ? 500_000 : 2_000_000;
                final int kafkaRuns = o.quick() ? 1 : 3;
                kafka = KafkaToKafkaVsKafkaStreams.compare(records, kafkaRuns, 4);
                kafkaNote = String.format(Locale.ROOT, "%,d JSON records in 4 partitions, %d counted run(s) after a " +
                    "warm-up round, both outputs read back read_committed and checked record by record; CPU is this " +
                    "process's over each run, the broker's apart. Command: KafkaToKafkaVsKafkaStreams %d %d 4.",
                    records, kafkaRuns, records, kafkaRuns);
            }
            else
            {
                kafkaNote = "The Kafka to Kafka comparison was left out (--no-kafka).";
            }
            notes.add("Peers run in this JVM one after the other on the same pipeline file, generator and " +
                "transforms; each run is a new pipeline (its planning and thread start-up count in full-speed " +
                "runs).");
            notes.add("A 'held' rate is one the engine kept within 2%; a rate that is not held has queued and its " +
                "latencies grow with the run.");
            notes.add("Allocation counts every byte the engine's threads allocated between 20% and 90% of a run's " +
                "events, divided by the events in that window; 0.00 B means the hot path allocated nothing.");
            final Html.Report report = new Html.Report("./run.sh bench " + args, machine, started,
                (System.nanoTime() - start) / 60e9, o.p99Nanos(), fullSpeed, rates, longRun, held, kafka, kafkaNote,
                notes);
            final List<Figures> all = new ArrayList<>(rates);
            all.addAll(fullSpeed.subList(fullSpeed.size() - 2, fullSpeed.size()));
            if (longRun != null)
            {
                all.add(longRun);
            }
            Html.hgrm(o.out().resolve("hgrm"), all);
            final Path html = o.out().resolve("report.html");
            Html.write(html, report);
            summary(report);
            System.out.println("report: " + html.toAbsolutePath());
        }
        return 0;
    }

    private static void step(final String what)
    {
        System.out.println("-- " + what);
    }

    private static Figures print(final Figures f)
    {
        System.out.printf(Locale.ROOT, "   %-30s %,11.0f events/s  p50 %9s  p99 %9s  p99.9 %9s  max %9s  %s/event  " +
            "GC pauses %d (%d ms)%n", f.engine(), f.achievedRate(), Html.micros(f.e2e(50)), Html.micros(f.e2e(99)),
            Html.micros(f.e2e(99.9)), Html.micros(f.endToEnd().getMaxValue()), Html.bytes(f.bytesPerEvent()),
            f.pauses().size(), f.pauseMillis());
        return f;
    }

    private static void summary(final Html.Report r)
    {
        final List<Figures> df = r.fullSpeed().stream().filter(f -> f.engine().equals("DataForge")).toList();
        final List<Figures> q = r.fullSpeed().stream().filter(f -> !f.engine().equals("DataForge")).toList();
        System.out.printf(Locale.ROOT, "summary: full speed DataForge %,.0f events/s, threads + ArrayBlockingQueue " +
            "%,.0f (ratio %.2f)%n", Html.median(df), Html.median(q), Html.median(df) / Html.median(q));
        System.out.printf(Locale.ROOT, "summary: highest rate held with p99 under %s: %s%n",
            Html.micros(r.targetNanos()), r.sweptRate() > 0 ? String.format(Locale.ROOT, "%,d events/s",
            r.sweptRate()) : "none tried");
        if (r.kafka() != null)
        {
            System.out.printf(Locale.ROOT, "summary: Kafka to Kafka, DataForge / Kafka Streams: throughput %.2f, " +
                "CPU per record %.2f%n", r.kafka()[2] / r.kafka()[0], r.kafka()[3] / r.kafka()[1]);
        }
    }
}

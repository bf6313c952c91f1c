package dev.dataforge.perf;

import dev.dataforge.core.config.JournalConfig;
import dev.dataforge.core.config.PipelineConfig;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end harness: runs a whole pipeline (real config, real stages and threads) several times in one JVM and
 * reports each run and the median, so runs on a noisy shared host can be compared side by side.
 * <pre>
 *   generator ──► [ring] ──► process (filter → enrich) ──► sink (blackhole)
 * </pre>
 * Usage: {@code PipelineHarness [--pipeline FILE] [--events N] [--runs R] [--warmups W] [--rate EPS]
 * [--journal off|on|both]}; {@code both} interleaves runs without and with the journal (a fresh one each run).
 * With {@code --rate} the generator paces itself and the end-to-end latency percentiles (source poll to sink
 * commit) are the figures to read; without, the throughput is.
 */
public final class PipelineHarness
{
    private PipelineHarness()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        Path file = Path.of("perf/pipelines/generator-filter-enrich-blackhole.yaml");
        long events = 20_000_000;
        int runs = 5;
        int warmups = 1;
        String rate = "0";
        String journal = "off";
        final Map<String, String> env = new HashMap<>(System.getenv());
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--pipeline": file = Path.of(args[++i]); break;
                case "--events": events = Long.parseLong(args[++i]); break;
                case "--runs": runs = Integer.parseInt(args[++i]); break;
                case "--warmups": warmups = Integer.parseInt(args[++i]); break;
                case "--rate": rate = args[++i]; break;
                case "--journal": journal = args[++i]; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        env.put("RATE", rate);
        if (!List.of("off", "on", "both").contains(journal))
        {
            throw new IllegalArgumentException("--journal must be off, on or both, not " + journal);
        }
        final PipelineConfig config = new PipelineConfigLoader(env).load(file);
        final Path journalDir = Files.createTempDirectory("dataforge-harness-journal");
        final List<String> modes = journal.equals("both") ? List.of("off", "on") : List.of(journal);
        final Map<String, PipelinePlan> plans = new LinkedHashMap<>();
        for (final String m : modes)
        {
            final PipelineConfig c = m.equals("off") ? config : new PipelineConfig(config.file(),
                config.baseDirectory(), config.name(), config.location(), config.mode(), config.modeLocation(),
                config.source(), config.transforms(), config.sinks(), config.lookups(), config.runtime(),
                config.metrics(), config.deadLetter(), new JournalConfig(true, journalDir, "hourly",
                JournalConfig.DEFAULT_TIME, JournalConfig.DEFAULT_SIZE, "none", config.location()));
            plans.put(m, new PipelinePlanner(new Connectors()).plan(c));
        }
        System.out.printf(Locale.ROOT, "pipeline %s, %,d events per run, rate %s, %d warm-up + %d runs, journal %s, " +
            "%d cpus, %s%n", config.name(), events, "0".equals(rate) ? "unbounded" : rate + "/s", warmups, runs,
            journal, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        final Map<String, List<Double>> throughputs = new LinkedHashMap<>();
        final Map<String, List<long[]>> latencies = new LinkedHashMap<>();
        for (int i = 0; i < warmups + runs; i++)
        {
            for (final String m : modes) // interleaved: both see the same noise of a shared machine
            {
                clear(journalDir);
                final RunResult r = new Pipeline(plans.get(m), RunOptions.unbounded().withMaxEvents(events)).run();
                if (r.error() != null || !r.countsAddUp())
                {
                    throw new IllegalStateException("run failed or counts do not add up: " + r);
                }
                final Histogram h = r.endToEndNanos();
                final long[] l = {h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9), h.getMaxValue()};
                System.out.printf(Locale.ROOT, "%s %d, journal %s: %,.0f events/s (%.2fs), delivered %,d, e2e p50 " +
                    "%,d ns p99 %,d ns p99.9 %,d ns max %,d ns%n", i < warmups ? "warm-up" : "run",
                    i < warmups ? i + 1 : i - warmups + 1, m, r.throughput(), r.elapsedSeconds(), r.delivered(),
                    l[0], l[1], l[2], l[3]);
                if (i >= warmups)
                {
                    throughputs.computeIfAbsent(m, k -> new ArrayList<>()).add(r.throughput());
                    latencies.computeIfAbsent(m, k -> new ArrayList<>()).add(l);
                }
            }
        }
        clear(journalDir);
        Files.deleteIfExists(journalDir);
        for (final String m : modes)
        {
            final List<Double> t = throughputs.get(m);
            t.sort(Double::compare);
            System.out.printf(Locale.ROOT, "journal %s: median throughput: %,.0f events/s (min %,.0f, max %,.0f)%n", m,
                t.get(t.size() / 2), t.get(0), t.get(t.size() - 1));
            final String[] names = {"p50", "p99", "p99.9", "max"};
            final StringBuilder sb = new StringBuilder("journal " + m + ": median e2e latency:");
            for (int k = 0; k < names.length; k++)
            {
                final int kk = k;
                final long[] values = latencies.get(m).stream().mapToLong(l -> l[kk]).sorted().toArray();
                sb.append(String.format(Locale.ROOT, " %s %.1f us", names[k], values[values.length / 2] / 1000.0));
            }
            System.out.println(sb);
        }
        if (modes.size() == 2)
        {
            System.out.printf(Locale.ROOT, "journal on / off, median throughput: %.2f%n",
                median(throughputs.get("on")) / median(throughputs.get("off")));
        }
    }

    private static double median(final List<Double> values)
    {
        final List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    private static void clear(final Path dir) throws java.io.IOException
    {
        try (java.util.stream.Stream<Path> files = Files.list(dir))
        {
            for (final Path f : (Iterable<Path>)files::iterator)
            {
                Files.delete(f);
            }
        }
    }
}

package dev.dataforge.perf;

import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end harness: runs a whole pipeline (real config, real stages and threads) several times in one JVM and
 * reports each run and the median, so runs on a noisy shared host can be compared side by side.
 * <pre>
 *   generator ──► [ring] ──► process (filter → enrich) ──► sink (blackhole)
 * </pre>
 * Usage: {@code PipelineHarness [--pipeline FILE] [--events N] [--runs R] [--warmups W] [--rate EPS]}.
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
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        env.put("RATE", rate);
        final PipelinePlan plan = new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(env).load(file));
        System.out.printf(Locale.ROOT, "pipeline %s, %,d events per run, rate %s, %d warm-up + %d runs, %d cpus, %s%n",
            plan.name(), events, "0".equals(rate) ? "unbounded" : rate + "/s", warmups, runs,
            Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        final List<Double> throughputs = new ArrayList<>();
        final List<long[]> latencies = new ArrayList<>();
        for (int i = 0; i < warmups + runs; i++)
        {
            final RunResult r = new Pipeline(plan, RunOptions.unbounded().withMaxEvents(events)).run();
            if (r.error() != null || !r.countsAddUp())
            {
                throw new IllegalStateException("run failed or counts do not add up: " + r);
            }
            final Histogram h = r.endToEndNanos();
            final long[] l = {h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                h.getMaxValue()};
            System.out.printf(Locale.ROOT, "%s %d: %,.0f events/s (%.2fs), delivered %,d, e2e p50 %,d ns p99 %,d ns " +
                "p99.9 %,d ns max %,d ns%n", i < warmups ? "warm-up" : "run", i < warmups ? i + 1 : i - warmups + 1,
                r.throughput(), r.elapsedSeconds(), r.delivered(), l[0], l[1], l[2], l[3]);
            if (i >= warmups)
            {
                throughputs.add(r.throughput());
                latencies.add(l);
            }
        }
        throughputs.sort(Double::compare);
        System.out.printf(Locale.ROOT, "median throughput: %,.0f events/s (min %,.0f, max %,.0f)%n",
            throughputs.get(throughputs.size() / 2), throughputs.get(0), throughputs.get(throughputs.size() - 1));
        final String[] names = {"p50", "p99", "p99.9", "max"};
        final StringBuilder sb = new StringBuilder("median e2e latency:");
        for (int k = 0; k < names.length; k++)
        {
            final int kk = k;
            final long[] values = latencies.stream().mapToLong(l -> l[kk]).sorted().toArray();
            sb.append(String.format(Locale.ROOT, " %s %.1f us", names[k], values[values.length / 2] / 1000.0));
        }
        System.out.println(sb);
    }
}

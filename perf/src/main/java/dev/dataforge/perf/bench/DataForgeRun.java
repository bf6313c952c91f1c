package dev.dataforge.perf.bench;

import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.metrics.PipelineMetrics;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a generator pipeline file (its {@code rate:} read from {@code ${RATE}}) for a number of events at a rate, in
 * this JVM, with its real stages and threads, and measures it ({@link Figures}).
 */
final class DataForgeRun
{
    private DataForgeRun()
    {
    }

    /** @return the plan of the generator pipeline {@code file} with its {@code ${RATE}} set to {@code rate}. */
    static PipelinePlan plan(final Path file, final long rate) throws Exception
    {
        final Map<String, String> env = new HashMap<>(System.getenv());
        env.put("RATE", Long.toString(rate));
        return new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(env).load(file));
    }

    static Figures run(final Path file, final long rate, final long events, final GcPauses gc) throws Exception
    {
        final PipelinePlan plan = plan(file, rate);
        final Pipeline pipeline = new Pipeline(plan, RunOptions.unbounded().withMaxEvents(events));
        final Steady steady = new Steady(pipeline.metrics(), "dataforge-" + plan.name() + "-", events);
        steady.start();
        final RunResult r = pipeline.run();
        steady.join(10_000);
        if (r.error() != null || !r.countsAddUp())
        {
            throw new IllegalStateException("the run failed or its counts do not add up: " + r);
        }
        final PipelineMetrics m = pipeline.metrics();
        final Map<String, Histogram> stages = new LinkedHashMap<>();
        stages.put("process stage, per event", m.stage(PipelineMetrics.PROCESS).latency().total());
        stages.put("sink stage, per event", m.firstSink().stage().latency().total());
        stages.put("sink commit", m.firstSink().commitLatency().total());
        return new Figures("DataForge", rate, r.throughput(), r.eventsIn(), r.endToEndNanos(), stages,
            steady.bytesPerEvent(), gc.pauses(steady.from, steady.to), (steady.to - steady.from) / 1e9);
    }

    /** Watches a run and takes the steady window: from 20% to 90% of its events. */
    private static final class Steady extends Thread
    {
        private final PipelineMetrics metrics;
        private final String prefix;
        private final long events;
        private volatile long from;
        private volatile long to;
        private long bytes0;
        private long bytes1;
        private long events0;
        private long events1;

        Steady(final PipelineMetrics metrics, final String prefix, final long events)
        {
            super("bench-steady");
            setDaemon(true);
            this.metrics = metrics;
            this.prefix = prefix;
            this.events = events;
        }

        @Override
        public void run()
        {
            while (metrics.eventsIn() < events / 5)
            {
                LockSupport.parkNanos(5_000_000);
            }
            events0 = metrics.eventsIn();
            bytes0 = HotThreads.allocated(prefix)[0];
            from = System.nanoTime();
            while (metrics.eventsIn() < events * 9 / 10)
            {
                LockSupport.parkNanos(5_000_000);
            }
            events1 = metrics.eventsIn();
            bytes1 = HotThreads.allocated(prefix)[0];
            to = System.nanoTime();
        }

        double bytesPerEvent()
        {
            return to == 0 || events1 == events0 ? Double.NaN : (double)(bytes1 - bytes0) / (events1 - events0);
        }
    }
}

package dev.dataforge.core.metrics;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Prints one line per interval while a pipeline runs, for example:
 * <pre>
 * [user-events] 12s in 12,000,000 (1.00M/s) delivered 4,200,000 filtered 7,800,000 dead 0 | e2e p50 41us p99 180us max 2.1ms | ring 0%
 * </pre>
 * Rates and latencies are over the last interval; counts are totals.
 */
public final class ProgressReporter implements AutoCloseable
{
    private final PipelineMetrics metrics;
    private final PrintStream out;
    private final long intervalNanos;
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private volatile boolean running = true;
    private long lastIn;
    private long lastNanos = startNanos;

    public ProgressReporter(final PipelineMetrics metrics, final Duration interval, final PrintStream out)
    {
        this.metrics = metrics;
        this.out = out;
        this.intervalNanos = interval.toNanos();
        this.thread = new Thread(this::loop, "dataforge-progress");
        this.thread.setDaemon(true);
    }

    public ProgressReporter start()
    {
        thread.start();
        return this;
    }

    private void loop()
    {
        long next = startNanos + intervalNanos;
        while (running)
        {
            final long wait = next - System.nanoTime();
            if (wait > 0)
            {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            next += intervalNanos;
            out.println(line());
        }
    }

    /** @return the progress line for the interval since the last call. */
    synchronized String line()
    {
        final long now = System.nanoTime();
        final long in = metrics.eventsIn();
        final double rate = (in - lastIn) / Math.max(1e-9, (now - lastNanos) / 1e9);
        lastIn = in;
        lastNanos = now;
        final Histogram e2e = metrics.endToEnd().sinceLastReport();
        metrics.sampleStages();
        final long occupancy = metrics.ringOccupancy();
        return String.format(Locale.ROOT,
            "[%s] %ds in %,d (%s/s) delivered %,d filtered %,d dead letters %,d | e2e p50 %s p99 %s max %s | ring %d%%%s",
            metrics.pipeline(), Math.round((now - startNanos) / 1e9), in, count(rate), metrics.delivered(),
            metrics.filtered(), metrics.deadLetters(),
            e2e.getTotalCount() == 0 ? "-" : nanos(e2e.getValueAtPercentile(50)),
            e2e.getTotalCount() == 0 ? "-" : nanos(e2e.getValueAtPercentile(99)),
            e2e.getTotalCount() == 0 ? "-" : nanos(e2e.getMaxValue()),
            occupancy * 100 / Math.max(1, metrics.ringSize()),
            metrics.backpressure().get() > 0 ? " backpressure " + metrics.backpressure().get() : "") + state();
    }

    /** @return what is wrong, when something is: the sink down, no partition, recovery under way. */
    private String state()
    {
        final StringBuilder lookups = new StringBuilder();
        for (final LookupStats l : metrics.lookups())
        {
            if (l.failing() != null)
            {
                lookups.append(" | lookup ").append(l.name()).append(" refresh failing (").append(l.rows())
                    .append(" rows kept): ").append(l.failing());
            }
        }
        return phase() + lookups;
    }

    private String phase()
    {
        return switch (metrics.state())
        {
            case SINK_DOWN -> " | sink down, retrying: " + metrics.health().sinkDownReason();
            case WAITING -> " | waiting for the group to assign a partition";
            case RECOVERING -> " | recovering assigned partitions";
            default -> "";
        };
    }

    /** @return 1.23M, 45.6k or 789. */
    public static String count(final double n)
    {
        if (n >= 1e6)
        {
            return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        }
        if (n >= 1e3)
        {
            return String.format(Locale.ROOT, "%.1fk", n / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", n);
    }

    /** @return 850ns, 41us, 2.1ms or 1.3s. */
    public static String nanos(final long n)
    {
        if (n < 1_000)
        {
            return n + "ns";
        }
        if (n < 1_000_000)
        {
            return (n / 1_000) + "us";
        }
        if (n < 1_000_000_000)
        {
            return String.format(Locale.ROOT, "%.1fms", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.1fs", n / 1e9);
    }

    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
    }
}

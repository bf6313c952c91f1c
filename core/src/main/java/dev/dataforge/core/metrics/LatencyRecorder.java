package dev.dataforge.core.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * An HdrHistogram of latencies in nanoseconds, recorded by one thread without allocation or locks and read by the
 * reporter: each {@link #sample()} moves the interval recorded so far into a running total.
 */
public final class LatencyRecorder
{
    /** Highest trackable value: one hour; larger values are clamped. */
    public static final long MAX_NANOS = 3_600_000_000_000L;

    private final String name;
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, MAX_NANOS, 3);
    private final Histogram total = new Histogram(1, MAX_NANOS, 3);
    private final Histogram unreported = new Histogram(1, MAX_NANOS, 3);
    private final Histogram reported = new Histogram(1, MAX_NANOS, 3);
    private Histogram interval;

    public LatencyRecorder(final String name)
    {
        this.name = name;
    }

    public String name()
    {
        return name;
    }

    /** Writer thread only. */
    public void record(final long nanos)
    {
        recorder.recordValue(clamp(nanos));
    }

    /** Writer thread only: {@code count} events that each took {@code nanos}. */
    public void record(final long nanos, final long count)
    {
        recorder.recordValueWithCount(clamp(nanos), count);
    }

    private static long clamp(final long nanos)
    {
        return nanos < 1 ? 1 : Math.min(nanos, MAX_NANOS);
    }

    /**
     * Folds what was recorded since the last call into the total (and into what {@link #sinceLastReport()} returns).
     *
     * @return what was recorded since the last call (reused on the next call).
     */
    public synchronized Histogram sample()
    {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        unreported.add(interval);
        return interval;
    }

    /**
     * For the one progress reporter: what was recorded since its last call, however often others sampled (a
     * Prometheus scrape folds intervals into the total too).
     *
     * @return a histogram reused on the next call.
     */
    public synchronized Histogram sinceLastReport()
    {
        sample();
        reported.reset();
        reported.add(unreported);
        unreported.reset();
        return reported;
    }

    /** @return a copy of everything recorded so far (folds the current interval in first). */
    public synchronized Histogram total()
    {
        sample();
        return total.copy();
    }
}

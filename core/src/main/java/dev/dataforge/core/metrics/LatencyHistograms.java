package dev.dataforge.core.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Prometheus histograms read from the stages' HdrHistograms when Prometheus scrapes. The event path records into
 * HdrHistogram without allocation or locks, as before; a scrape turns each running total into
 * <ul>
 *   <li>classic buckets with the same bounds on every instance ({@link #SECONDS}, {@link #EVENTS}), so that
 *       {@code sum by (le) (rate(..._bucket[1m]))} over several instances is the group's distribution, and</li>
 *   <li>native (exponential) buckets of schema {@value #NATIVE_SCHEMA} (a factor of 2^(1/8), about 9%, per bucket),
 *       which Prometheus reads when it scrapes the protobuf format with native histograms enabled.</li>
 * </ul>
 * HdrHistogram keeps three significant digits: a value within 0.1% above a bound may count in the bucket below it,
 * and {@code _sum} is exact to the same 0.1%. {@code _count} is exact.
 */
final class LatencyHistograms implements Collector
{
    /** Latency bounds, seconds: 1 µs to 60 s. */
    static final double[] SECONDS = {
        1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    /** Count bounds (events per batch): 1 to 1,000,000. */
    static final double[] EVENTS = {
        1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000,
        1_000_000};
    static final int NATIVE_SCHEMA = 3;

    /** One series: its label values and where its HdrHistogram total is read. */
    record Series(String[] labelValues, LatencyRecorder recorder) {}

    private final String name;
    private final String help;
    private final String[] labelNames;
    private final double[] bounds;
    private final double scale;
    private final Consumer<List<Series>> series;

    /**
     * @param scale  what one recorded unit is in the exported unit (1e-9 for nanoseconds to seconds, 1 for counts).
     * @param series adds the series to export now (stages and transforms appear while the pipeline starts).
     */
    LatencyHistograms(final String name, final String help, final String[] labelNames, final double[] bounds,
        final double scale, final Consumer<List<Series>> series)
    {
        this.name = name;
        this.help = help;
        this.labelNames = labelNames;
        this.bounds = bounds;
        this.scale = scale;
        this.series = series;
    }

    @Override
    public String getPrometheusName()
    {
        return name;
    }

    @Override
    public MetricSnapshot collect()
    {
        final List<Series> all = new ArrayList<>();
        series.accept(all);
        final HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(name).help(help);
        for (final Series s : all)
        {
            b.dataPoint(point(s.recorder().total(), Labels.of(labelNames, s.labelValues())));
        }
        return b.build();
    }

    private HistogramSnapshot.HistogramDataPointSnapshot point(final Histogram h, final Labels labels)
    {
        final long[] counts = new long[bounds.length + 1]; // the last is +Inf
        final TreeMap<Integer, Long> nativeCounts = new TreeMap<>();
        final double factor = Math.pow(2, NATIVE_SCHEMA);
        double sum = 0;
        for (final HistogramIterationValue v : h.recordedValues())
        {
            final long n = v.getCountAtValueIteratedTo();
            final double value = h.lowestEquivalentValue(v.getValueIteratedTo()) * scale;
            sum += h.medianEquivalentValue(v.getValueIteratedTo()) * scale * n;
            int i = 0;
            while (i < bounds.length && value > bounds[i])
            {
                i++;
            }
            counts[i] += n;
            final int index = (int)Math.ceil(Math.log(value) / Math.log(2) * factor);
            nativeCounts.merge(index, n, Long::sum);
        }
        final double[] upper = new double[bounds.length + 1];
        System.arraycopy(bounds, 0, upper, 0, bounds.length);
        upper[bounds.length] = Double.POSITIVE_INFINITY;
        final NativeHistogramBuckets.Builder nb = NativeHistogramBuckets.builder();
        nativeCounts.forEach(nb::bucket);
        return HistogramSnapshot.HistogramDataPointSnapshot.builder()
            .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, counts))
            .nativeSchema(NATIVE_SCHEMA).nativeZeroCount(0).nativeZeroThreshold(0)
            .nativeBucketsForPositiveValues(nb.build())
            .sum(sum).labels(labels).build();
    }
}

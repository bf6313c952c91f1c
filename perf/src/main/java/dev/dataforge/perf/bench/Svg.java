package dev.dataforge.perf.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Inline SVG charts for the report: no scripts, fonts or styles from outside the file. */
final class Svg
{
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#17becf"};
    private static final int W = 800;
    private static final int H = 360;
    private static final int LEFT = 70;
    private static final int RIGHT = 240;
    private static final int TOP = 20;
    private static final int BOTTOM = 50;
    /** The percentile axis ends at 99.999%. */
    private static final double MAX_NINES = 5;

    private Svg()
    {
    }

    /**
     * A latency-by-percentile plot, as HdrHistogram's plotter draws one: x is the percentile on a scale of nines
     * (0%, 90%, 99%, ... 99.999%), y the latency in microseconds on a log scale.
     */
    static String percentiles(final String title, final Map<String, Histogram> series)
    {
        final List<String> names = new ArrayList<>(series.keySet());
        final List<List<double[]>> lines = new ArrayList<>();
        double minUs = Double.MAX_VALUE;
        double maxUs = 0;
        for (final String n : names)
        {
            final List<double[]> points = new ArrayList<>();
            final Histogram h = series.get(n);
            if (h.getTotalCount() > 0)
            {
                for (final HistogramIterationValue v : h.percentiles(5))
                {
                    final double p = v.getPercentileLevelIteratedTo() / 100.0;
                    final double nines = p >= 1 ? MAX_NINES : Math.min(MAX_NINES, Math.log10(1 / (1 - p)));
                    final double us = Math.max(0.1, h.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0);
                    points.add(new double[] {nines, us});
                    minUs = Math.min(minUs, us);
                    maxUs = Math.max(maxUs, us);
                    if (nines >= MAX_NINES)
                    {
                        break;
                    }
                }
            }
            lines.add(points);
        }
        if (maxUs == 0)
        {
            return "<p>(no events)</p>";
        }
        final double y0 = Math.floor(Math.log10(minUs));
        final double y1 = Math.max(y0 + 1, Math.ceil(Math.log10(maxUs)));
        final StringBuilder sb = frame(title, "percentile", "latency (us, log)");
        for (int k = 0; k <= MAX_NINES; k++)
        {
            final double x = x(k, 0, MAX_NINES);
            sb.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#ddd'/>", x, TOP, x,
                H - BOTTOM));
            sb.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>", x,
                H - BOTTOM + 16, k == 0 ? "0%" : (100 - 100 / Math.pow(10, k)) + "%"));
        }
        yDecades(sb, y0, y1);
        for (int i = 0; i < names.size(); i++)
        {
            final StringBuilder pts = new StringBuilder();
            for (final double[] p : lines.get(i))
            {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p[0], 0, MAX_NINES), y(Math.log10(p[1]), y0, y1)));
            }
            sb.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>",
                COLOURS[i % COLOURS.length], pts));
            legend(sb, i, names.get(i));
        }
        return sb.append("</svg>").toString();
    }

    /** The rate sweep: p99 (log) against the rate asked for, with the target as a dashed line. */
    static String sweep(final String title, final List<Figures> runs, final long targetNanos)
    {
        double maxRate = 1;
        double minUs = targetNanos / 1000.0;
        double maxUs = minUs;
        for (final Figures f : runs)
        {
            maxRate = Math.max(maxRate, f.targetRate());
            minUs = Math.min(minUs, Math.max(0.1, f.e2e(99) / 1000.0));
            maxUs = Math.max(maxUs, f.e2e(99) / 1000.0);
        }
        final double y0 = Math.floor(Math.log10(minUs));
        final double y1 = Math.max(y0 + 1, Math.ceil(Math.log10(maxUs)));
        final StringBuilder sb = frame(title, "rate asked for (events/s)", "p99 end to end (us, log)");
        yDecades(sb, y0, y1);
        for (int k = 0; k <= 4; k++)
        {
            final double r = maxRate * k / 4;
            sb.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%,.0f</text>",
                x(r, 0, maxRate), H - BOTTOM + 16, r));
        }
        final double ty = y(Math.log10(targetNanos / 1000.0), y0, y1);
        sb.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#888' " +
            "stroke-dasharray='6,4'/><text x='%d' y='%.1f'>p99 target</text>", LEFT, ty, W - RIGHT, ty,
            W - RIGHT + 6, ty + 4));
        final StringBuilder pts = new StringBuilder();
        for (final Figures f : runs)
        {
            final double x = x(f.targetRate(), 0, maxRate);
            final double y = y(Math.log10(Math.max(0.1, f.e2e(99) / 1000.0)), y0, y1);
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            sb.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='4' fill='%s'><title>%,d/s: p99 " +
                "%.1f us%s</title></circle>", x, y, f.held() && f.e2e(99) <= targetNanos ? COLOURS[2] : COLOURS[1],
                f.targetRate(), f.e2e(99) / 1000.0, f.held() ? "" : ", rate not held"));
        }
        sb.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' points='%s'/>", COLOURS[0], pts));
        legend(sb, 2, "held, p99 under target");
        legend(sb, 1, "missed");
        return sb.append("</svg>").toString();
    }

    private static StringBuilder frame(final String title, final String xLabel, final String yLabel)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' " +
            "viewBox='0 0 %d %d' font-family='sans-serif' font-size='11'>", W, H, W, H));
        sb.append(String.format(Locale.ROOT, "<text x='%d' y='14' font-size='13' font-weight='bold'>%s</text>", LEFT,
            Html.escape(title)));
        sb.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' " +
            "stroke='#444'/>", LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM));
        sb.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>%s</text>",
            LEFT + (W - LEFT - RIGHT) / 2, H - 12, Html.escape(xLabel)));
        sb.append(String.format(Locale.ROOT, "<text x='14' y='%d' transform='rotate(-90 14 %d)' " +
            "text-anchor='middle'>%s</text>", TOP + (H - TOP - BOTTOM) / 2, TOP + (H - TOP - BOTTOM) / 2,
            Html.escape(yLabel)));
        return sb;
    }

    private static void yDecades(final StringBuilder sb, final double y0, final double y1)
    {
        for (double d = y0; d <= y1; d++)
        {
            final double y = y(d, y0, y1);
            sb.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>", LEFT, y,
                W - RIGHT, y));
            final double us = Math.pow(10, d);
            sb.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end'>%s</text>", LEFT - 4, y + 4,
                us >= 1000 ? String.format(Locale.ROOT, "%.0f ms", us / 1000) : us >= 1 ?
                String.format(Locale.ROOT, "%.0f us", us) : String.format(Locale.ROOT, "%.1f us", us)));
        }
    }

    private static void legend(final StringBuilder sb, final int i, final String name)
    {
        final int y = TOP + 14 + 16 * (i % 16);
        sb.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='12' height='3' fill='%s'/><text x='%d' " +
            "y='%d'>%s</text>", W - RIGHT + 8, y - 4, COLOURS[i % COLOURS.length], W - RIGHT + 24, y,
            Html.escape(name)));
    }

    private static double x(final double v, final double lo, final double hi)
    {
        return LEFT + (W - LEFT - RIGHT) * (v - lo) / (hi - lo);
    }

    private static double y(final double v, final double lo, final double hi)
    {
        return H - BOTTOM - (H - TOP - BOTTOM) * (v - lo) / (hi - lo);
    }
}

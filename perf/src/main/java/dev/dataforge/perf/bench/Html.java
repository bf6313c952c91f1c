package dev.dataforge.perf.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The bench's report: one self-contained HTML file (inline styles and SVG), and HdrHistogram .hgrm files. */
final class Html
{
    private Html()
    {
    }

    static String escape(final String s)
    {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
            .replace("\"", "&quot;");
    }

    /** Writes each run's end-to-end and stage histograms as .hgrm (microseconds) under {@code dir}. */
    static void hgrm(final Path dir, final List<Figures> runs) throws IOException
    {
        Files.createDirectories(dir);
        for (final Figures f : runs)
        {
            final String base = slug(f.engine()) + "-" + (f.targetRate() == 0 ? "full-speed" : f.targetRate() + "eps");
            write(dir.resolve(base + "-e2e.hgrm"), f.endToEnd());
            for (final Map.Entry<String, Histogram> e : f.stages().entrySet())
            {
                write(dir.resolve(base + "-" + slug(e.getKey()) + ".hgrm"), e.getValue());
            }
        }
    }

    private static void write(final Path file, final Histogram h) throws IOException
    {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8))
        {
            h.outputPercentileDistribution(out, 1000.0);
        }
    }

    static String slug(final String s)
    {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** Everything the report shows. */
    record Report(String command, Map<String, String> machine, String started, double minutes, long targetNanos,
        List<Figures> fullSpeed, List<Figures> rates, Figures longRun, long sweptRate, double[] kafka,
        String kafkaNote, List<String> notes)
    {
    }

    static void write(final Path file, final Report r) throws IOException
    {
        final StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html><html><head><meta charset='utf-8'><title>DataForge bench</title><style>")
            .append("body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}")
            .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;")
            .append("text-align:right}th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}")
            .append("code{background:#f4f4f4;padding:1px 4px}.bad{color:#b00}.good{color:#080}")
            .append("</style></head><body>");
        b.append("<h1>DataForge bench</h1><p>").append(escape(r.started())).append(", ")
            .append(String.format(Locale.ROOT, "%.1f", r.minutes())).append(" minutes. Command: <code>")
            .append(escape(r.command())).append("</code></p>");
        b.append("<h2>Machine</h2><table>");
        r.machine().forEach((k, v) -> b.append("<tr><td>").append(escape(k)).append("</td><td style='text-align:left'>")
            .append(escape(v)).append("</td></tr>"));
        b.append("</table>");

        b.append("<h2>Throughput at full speed</h2><p>The pipeline file's generator unpaced, medians of the runs; ")
            .append("the ratio is to DataForge in the same run.</p>");
        b.append("<table><tr><th>engine</th><th>runs</th><th>median events/s</th><th>ratio</th>")
            .append("<th>allocated per event (steady)</th></tr>");
        final Map<String, List<Figures>> byEngine = new LinkedHashMap<>();
        for (final Figures f : r.fullSpeed())
        {
            byEngine.computeIfAbsent(f.engine(), k -> new java.util.ArrayList<>()).add(f);
        }
        final double df = byEngine.containsKey("DataForge") ? median(byEngine.get("DataForge")) : Double.NaN;
        byEngine.forEach((engine, runs) -> b.append(String.format(Locale.ROOT,
            "<tr><td>%s</td><td>%d</td><td>%,.0f</td><td>%.2f</td><td>%s</td></tr>", escape(engine), runs.size(),
            median(runs), median(runs) / df, bytes(runs.get(runs.size() - 1).bytesPerEvent()))));
        b.append("</table>");
        if (r.kafka() != null)
        {
            b.append("<h3>Kafka → filter → enrich → Kafka, exactly once</h3><table><tr><th>engine</th>")
                .append("<th>records/s</th><th>CPU per record</th></tr>")
                .append(String.format(Locale.ROOT, "<tr><td>Kafka Streams (exactly_once_v2)</td><td>%,.0f</td>" +
                "<td>%.2f us</td></tr><tr><td>DataForge</td><td>%,.0f</td><td>%.2f us</td></tr>" +
                "<tr><td>DataForge / Kafka Streams</td><td>%.2f</td><td>%.2f</td></tr></table>", r.kafka()[0],
                r.kafka()[1], r.kafka()[2], r.kafka()[3], r.kafka()[2] / r.kafka()[0], r.kafka()[3] / r.kafka()[1]));
        }
        if (r.kafkaNote() != null)
        {
            b.append("<p>").append(escape(r.kafkaNote())).append("</p>");
        }

        b.append("<h2>Latency at fixed rates</h2><p>Open loop: each event counts from when it was due ")
            .append("(start + n / rate), not from when a late source wrote it, so stalls are not hidden ")
            .append("(coordinated omission corrected). End to end is from that time to the sink's commit ")
            .append("(to the end of the transforms for the queue peer). Allocation: bytes the engine's threads ")
            .append("allocated per event from 20% to 90% of the run (the JVM's per-thread counters); GC pauses in ")
            .append("that window (collector notifications).</p>");
        b.append("<table><tr><th>engine</th><th>rate asked</th><th>held</th><th>p50</th><th>p99</th><th>p99.9</th>")
            .append("<th>max</th><th>B/event</th><th>GC pauses</th></tr>");
        for (final Figures f : r.rates())
        {
            row(b, f, r.targetNanos());
        }
        if (r.longRun() != null)
        {
            row(b, r.longRun(), r.targetNanos());
        }
        b.append("</table>");
        b.append(String.format(Locale.ROOT, "<p><b>Highest rate held with p99 under %s: %s</b></p>",
            micros(r.targetNanos()), r.sweptRate() > 0 ? String.format(Locale.ROOT, "%,d events/s", r.sweptRate()) :
            "none of the rates tried"));
        final List<Figures> dfRates = r.rates().stream().filter(f -> f.engine().equals("DataForge")).toList();
        b.append(Svg.sweep("Rate sweep: DataForge p99 end to end by rate", dfRates, r.targetNanos()));
        final Map<String, Histogram> byRate = new LinkedHashMap<>();
        for (final Figures f : dfRates)
        {
            byRate.put(String.format(Locale.ROOT, "%,d/s", f.targetRate()), f.endToEnd());
        }
        b.append(Svg.percentiles("DataForge end to end, by rate", byRate));
        for (final Figures f : dfRates)
        {
            final Map<String, Histogram> s = new LinkedHashMap<>();
            s.put("end to end", f.endToEnd());
            s.putAll(f.stages());
            for (final Figures peer : r.rates())
            {
                if (!peer.engine().equals("DataForge") && peer.targetRate() == f.targetRate())
                {
                    s.put(peer.engine() + ", end to end", peer.endToEnd());
                }
            }
            b.append(Svg.percentiles(String.format(Locale.ROOT, "At %,d events/s: end to end, per stage, peers",
                f.targetRate()), s));
        }
        if (r.longRun() != null)
        {
            final Map<String, Histogram> s = new LinkedHashMap<>();
            s.put("end to end", r.longRun().endToEnd());
            s.putAll(r.longRun().stages());
            b.append(Svg.percentiles(String.format(Locale.ROOT, "Long run at %,d events/s", r.longRun().targetRate()),
                s));
        }
        b.append("<h2>Notes</h2><ul>");
        for (final String n : r.notes())
        {
            b.append("<li>").append(escape(n)).append("</li>");
        }
        b.append("</ul><p>The .hgrm files beside this report hold every histogram (microseconds), for ")
            .append("HdrHistogram's plotter.</p></body></html>\n");
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    private static void row(final StringBuilder b, final Figures f, final long target)
    {
        b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d/s</td><td class='%s'>%,.0f/s</td><td>%s</td>" +
            "<td class='%s'>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d (%d ms, max %d ms)</td></tr>",
            escape(f.engine()), f.targetRate(), f.held() ? "good" : "bad", f.achievedRate(), micros(f.e2e(50)),
            f.e2e(99) <= target ? "good" : "bad", micros(f.e2e(99)), micros(f.e2e(99.9)),
            micros(f.endToEnd().getMaxValue()), bytes(f.bytesPerEvent()), f.pauses().size(), f.pauseMillis(),
            f.maxPauseMillis()));
    }

    static double median(final List<Figures> runs)
    {
        final double[] v = runs.stream().mapToDouble(Figures::achievedRate).sorted().toArray();
        return v[v.length / 2];
    }

    static String micros(final long nanos)
    {
        return nanos >= 10_000_000 ? String.format(Locale.ROOT, "%.1f ms", nanos / 1e6) :
            String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }

    static String bytes(final double perEvent)
    {
        return Double.isNaN(perEvent) ? "-" : String.format(Locale.ROOT, "%.2f B", perEvent);
    }
}

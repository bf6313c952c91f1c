package dev.dataforge.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dataforge.core.metrics.EventMetrics;
import dev.dataforge.core.metrics.PipelineMetrics;
import dev.dataforge.core.runtime.RunResult;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code --summary} file: one JSON object describing a finished run. {@code events_in} always equals
 * {@code delivered + filtered + dead_letters} for a run that ended without error, for the pipeline (its first sink)
 * and under {@code sinks} for each sink (with {@code revoked} and {@code skipped}).
 */
final class Summary
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Summary()
    {
    }

    static ObjectNode toJson(final RunResult r, final PipelineMetrics metrics)
    {
        final ObjectNode o = JSON.createObjectNode();
        o.put("pipeline", r.pipeline());
        o.put("status", r.error() == null ? "ok" : "failed");
        if (r.error() != null)
        {
            o.put("error", r.error());
        }
        o.put("end_reason", r.endReason());
        o.put("events_in", r.eventsIn());
        o.put("filtered", r.filtered());
        o.put("dead_letters", r.deadLetters());
        o.put("delivered", r.delivered());
        o.put("undelivered", r.undelivered());
        o.put("elapsed_s", Math.round(r.elapsedSeconds() * 1000) / 1000.0);
        o.put("throughput_eps", Math.round(r.throughput()));
        o.set("latency_us", latency(r.endToEndNanos()));
        o.put("commits", r.commits());
        o.put("source", r.source());
        final ObjectNode partitions = o.putObject("source_partitions");
        r.sourcePartitions().forEach((p, n) -> partitions.put(Integer.toString(p), n));
        final Map<Integer, Long> lag = metrics.sourceLag();
        if (!lag.isEmpty())
        {
            final ObjectNode l = o.putObject("source_lag");
            new TreeMap<>(lag).forEach((p, n) -> l.put(Integer.toString(p), n));
        }
        o.put("source_new_fields", metrics.sourceNewFields());
        o.put("sink", r.sink());
        o.put("dead_letter_queue", r.deadLetterQueue());
        final ObjectNode sinks = o.putObject("sinks");
        for (final RunResult.SinkResult s : r.sinks())
        {
            final ObjectNode n = sinks.putObject(s.name());
            n.put("sink", s.sink());
            n.put("in", s.in());
            n.put("delivered", s.delivered());
            n.put("filtered", s.filtered());
            n.put("dead_letters", s.deadLetters());
            n.put("revoked", s.revoked());
            n.put("skipped", s.skipped());
            n.put("commits", s.commits());
            n.put("dead_letter_queue", s.deadLetterQueue());
        }
        counts(o.putObject("stages"), metrics.stages());
        counts(o.putObject("transforms"), metrics.transforms());
        o.put("backpressure", metrics.backpressure().get());
        return o;
    }

    private static void counts(final ObjectNode into, final List<EventMetrics> all)
    {
        for (final EventMetrics m : all)
        {
            final ObjectNode st = into.putObject(m.name());
            st.put("in", m.in().get());
            st.put("out", m.out().get());
            st.put("filtered", m.filtered().get());
            st.put("dead_letters", m.deadLetters().get());
            st.put("errors", m.errors().get());
            final Histogram h = m.latency().total();
            if (h.getTotalCount() > 0)
            {
                st.put("latency_p50_ns", h.getValueAtPercentile(50));
                st.put("latency_p99_ns", h.getValueAtPercentile(99));
            }
        }
    }

    private static ObjectNode latency(final Histogram h)
    {
        final ObjectNode l = JSON.createObjectNode();
        final boolean any = h.getTotalCount() > 0;
        l.put("p50", any ? h.getValueAtPercentile(50) / 1000.0 : 0);
        l.put("p99", any ? h.getValueAtPercentile(99) / 1000.0 : 0);
        l.put("p999", any ? h.getValueAtPercentile(99.9) / 1000.0 : 0);
        l.put("max", any ? h.getMaxValue() / 1000.0 : 0);
        l.put("count", h.getTotalCount());
        return l;
    }

    static void write(final Path file, final RunResult r, final PipelineMetrics metrics) throws IOException
    {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        Files.writeString(file, JSON.writeValueAsString(toJson(r, metrics)) + "\n");
    }
}

package dev.dataforge.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dataforge.core.metrics.PipelineMetrics;
import dev.dataforge.core.metrics.StageMetrics;
import dev.dataforge.core.runtime.RunResult;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --summary} file: one JSON object describing a finished run. {@code events_in} always equals
 * {@code delivered + filtered + dead_lettered} for a run that ended without error.
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
        o.put("dead_lettered", r.deadLettered());
        o.put("delivered", r.delivered());
        o.put("undelivered", r.undelivered());
        o.put("elapsed_s", Math.round(r.elapsedSeconds() * 1000) / 1000.0);
        o.put("throughput_eps", Math.round(r.throughput()));
        o.set("latency_us", latency(r.endToEndNanos()));
        o.put("commits", r.commits());
        o.put("source", r.source());
        final ObjectNode partitions = o.putObject("source_partitions");
        r.sourcePartitions().forEach((p, n) -> partitions.put(Integer.toString(p), n));
        final java.util.Map<Integer, Long> lag = metrics.sourceLag();
        if (!lag.isEmpty())
        {
            final ObjectNode l = o.putObject("source_lag");
            new java.util.TreeMap<>(lag).forEach((p, n) -> l.put(Integer.toString(p), n));
        }
        o.put("source_new_fields", metrics.sourceNewFields());
        o.put("sink", r.sink());
        o.put("dead_letter_queue", r.deadLetterQueue());
        final ObjectNode stages = o.putObject("stages");
        for (final StageMetrics s : metrics.stages())
        {
            final ObjectNode st = stages.putObject(s.stage());
            st.put("in", s.in().get());
            st.put("out", s.out().get());
            st.put("filtered", s.filtered().get());
            st.put("dead_lettered", s.deadLettered().get());
            st.put("errors", s.errors().get());
            final Histogram h = s.latency().total();
            if (h.getTotalCount() > 0)
            {
                st.put("latency_p50_ns", h.getValueAtPercentile(50));
                st.put("latency_p99_ns", h.getValueAtPercentile(99));
            }
        }
        o.put("backpressure", metrics.backpressure().get());
        return o;
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

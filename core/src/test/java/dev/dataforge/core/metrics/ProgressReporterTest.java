package dev.dataforge.core.metrics;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressReporterTest
{
    @Test
    void aScrapeBetweenTwoLinesDoesNotTakeTheIntervalsLatencies() throws Exception
    {
        final PipelineMetrics metrics = new PipelineMetrics("p");
        metrics.sink("duckdb", PipelineMetrics.SINK);
        final ProgressReporter reporter = new ProgressReporter(metrics, Duration.ofHours(1),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        metrics.endToEnd().record(3_000_000, 10); // 3 ms
        try (PrometheusExporter exporter = PrometheusExporter.start(metrics, "127.0.0.1", 0))
        {
            Scrape.families(exporter.port()); // folds the interval into the total
        }
        final String line = reporter.line();
        assertTrue(line.contains("e2e p50 3.0ms"), line);
    }

    @Test
    void theLineSaysWhenTheSinkIsDown()
    {
        final PipelineMetrics metrics = new PipelineMetrics("p");
        metrics.health().sinkOpen();
        metrics.health().sourceOpen(() -> true);
        metrics.health().sinkDown("duckdb", "Connection refused");
        final String line = new ProgressReporter(metrics, Duration.ofHours(1),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).line();
        assertTrue(line.endsWith("| sink down, retrying: Connection refused"), line);
    }
}

package dev.dataforge.core.metrics;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusExporterTest
{
    @Test
    void servesCountersAndLatencyHistogramsThatAPrometheusParserReads() throws Exception
    {
        final PipelineMetrics metrics = new PipelineMetrics("p1");
        metrics.sink("duckdb", PipelineMetrics.SINK);
        final EventMetrics sink = metrics.stage(PipelineMetrics.SINK);
        sink.in().add(10);
        sink.out().add(7);
        sink.filtered().add(3);
        metrics.endToEnd().record(2_000_000, 5);    // 2 ms, five events
        metrics.endToEnd().record(300_000_000, 2);  // 300 ms, two
        metrics.firstSink().commits().add(2);
        try (PrometheusExporter exporter = PrometheusExporter.start(metrics, "127.0.0.1", 0))
        {
            final Map<String, Metrics.MetricFamily> f = Scrape.families(exporter.port());
            assertEquals(7, Scrape.series(f, "dataforge_stage_events_total", "stage", "sink", "outcome", "out")
                .getCounter().getValue());
            assertEquals(3, Scrape.series(f, "dataforge_stage_events_total", "stage", "sink", "outcome", "filtered")
                .getCounter().getValue());
            assertEquals(2, Scrape.series(f, "dataforge_sink_commits_total", "pipeline", "p1", "sink", "duckdb")
                .getCounter().getValue());

            assertEquals(Metrics.MetricType.HISTOGRAM, f.get("dataforge_end_to_end_latency_seconds").getType());
            final Metrics.Histogram h = Scrape.series(f, "dataforge_end_to_end_latency_seconds", "pipeline", "p1",
                "sink", "duckdb").getHistogram();
            assertEquals(7, h.getSampleCount());
            assertEquals(5 * 0.002 + 2 * 0.3, h.getSampleSum(), 0.001 * (5 * 0.002 + 2 * 0.3));
            // classic buckets are cumulative: 5 at or below 2.5 ms, all 7 at or below 500 ms
            assertEquals(0, cumulative(h, 0.001));
            assertEquals(5, cumulative(h, 0.0025));
            assertEquals(5, cumulative(h, 0.25));
            assertEquals(7, cumulative(h, 0.5));
            assertEquals(LatencyHistograms.SECONDS.length + 1, h.getBucketCount()); // and +Inf
            // native buckets: schema 3, two populated buckets holding 5 and 2
            assertEquals(LatencyHistograms.NATIVE_SCHEMA, h.getSchema());
            long bucket = 0;
            long nativeCount = 0;
            for (final long delta : h.getPositiveDeltaList()) // each bucket's count as a delta from the one before
            {
                bucket += delta;
                nativeCount += bucket;
            }
            assertEquals(7, nativeCount, h.toString());
            assertEquals(5, h.getPositiveDelta(0), h.toString());

            assertTrue(f.containsKey("jvm_memory_used_bytes"), f.keySet().toString());
            assertTrue(f.containsKey("jvm_gc_collection_seconds"), f.keySet().toString());
            assertEquals(1, Scrape.series(f, "dataforge_pipeline_state", "state", "starting").getGauge().getValue());
            assertEquals(0, Scrape.series(f, "dataforge_pipeline_state", "state", "running").getGauge().getValue());

            final String text = Scrape.get(exporter.port(), "/metrics").body();
            assertTrue(text.contains("dataforge_end_to_end_latency_seconds_bucket{pipeline=\"p1\",sink=\"duckdb\"," +
                "le=\"0.0025\"} 5"), text);
            assertTrue(text.contains("dataforge_end_to_end_latency_seconds_count{pipeline=\"p1\",sink=\"duckdb\"} 7"),
                text);
            assertTrue(!text.contains("dataforge_end_to_end_latency_seconds{"), "latencies are histograms, not precomputed quantiles");
        }
    }

    private static long cumulative(final Metrics.Histogram h, final double le)
    {
        for (final Metrics.Bucket b : h.getBucketList())
        {
            if (Math.abs(b.getUpperBound() - le) < le * 1e-9)
            {
                return b.getCumulativeCount();
            }
        }
        throw new AssertionError("no bucket le=" + le + " in " + h);
    }

    @Test
    void healthAnswersAliveAndReadyFlipsWithTheSinkAndTheSource() throws Exception
    {
        final PipelineMetrics metrics = new PipelineMetrics("p1");
        metrics.sink("postgresql", PipelineMetrics.SINK);
        final boolean[] assigned = {false};
        try (PrometheusExporter exporter = PrometheusExporter.start(metrics, "127.0.0.1", 0))
        {
            final int port = exporter.port();
            final HttpResponse<String> health = Scrape.get(port, "/health");
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"status\":\"alive\""), health.body());

            HttpResponse<String> ready = Scrape.get(port, "/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("sink postgresql is not open yet"), ready.body());

            metrics.health().sinkOpen();
            metrics.health().sourceOpen(() -> assigned[0]);
            ready = Scrape.get(port, "/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("holds no partition"), ready.body());
            assertTrue(ready.body().contains("\"state\":\"waiting\""), ready.body());

            assigned[0] = true;
            ready = Scrape.get(port, "/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"ready\":true"), ready.body());

            metrics.health().sinkDown("postgresql", "Connection refused");
            ready = Scrape.get(port, "/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("sink postgresql is down since") &&
                ready.body().contains("Connection refused"), ready.body());
            assertEquals(0, Scrape.series(Scrape.families(port), "dataforge_sink_up").getGauge().getValue());

            metrics.health().sinkUp("postgresql");
            assertEquals(200, Scrape.get(port, "/ready").statusCode());

            assertEquals(404, Scrape.get(port, "/").statusCode());
            assertEquals(404, Scrape.get(port, "/metricsx").statusCode());
        }
    }

    @Test
    void aTakenPortIsAClearError() throws Exception
    {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
            java.net.InetAddress.getByName("127.0.0.1")))
        {
            final java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> PrometheusExporter.start(new PipelineMetrics("p"), "127.0.0.1", taken.getLocalPort()));
            assertTrue(e.getMessage().contains("cannot serve Prometheus metrics on 127.0.0.1:" + taken.getLocalPort()),
                e.getMessage());
        }
    }
}

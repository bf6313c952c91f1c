package dev.dataforge.core.metrics;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusExporterTest
{
    @Test
    void servesStageCountersAndLatencyQuantiles() throws Exception
    {
        final PipelineMetrics metrics = new PipelineMetrics("p1");
        final EventMetrics sink = metrics.stage(PipelineMetrics.SINK);
        sink.in().add(10);
        sink.out().add(7);
        sink.filtered().add(3);
        metrics.endToEnd().record(2_000_000, 5);
        metrics.commits().add(2);
        try (PrometheusExporter exporter = PrometheusExporter.start(metrics, "127.0.0.1", 0))
        {
            final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + exporter.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            final String body = r.body();
            assertTrue(body.contains("dataforge_stage_events_total{outcome=\"out\",pipeline=\"p1\",stage=\"sink\"} 7.0"),
                body);
            assertTrue(body.contains("dataforge_stage_events_total{outcome=\"filtered\",pipeline=\"p1\",stage=\"sink\"} 3.0"),
                body);
            assertTrue(body.contains("dataforge_sink_commits_total{pipeline=\"p1\"} 2.0"), body);
            assertTrue(body.matches("(?s).*dataforge_end_to_end_latency_seconds\\{pipeline=\"p1\",quantile=\"0.5\"} " +
                "0\\.00200.*"), body);
        }
    }

    @Test
    void aTakenPortIsAClearError() throws Exception
    {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
            java.net.InetAddress.getByName("127.0.0.1")))
        {
            final java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> PrometheusExporter.start(new PipelineMetrics("p"), "127.0.0.1", taken.getLocalPort()));
            assertTrue(e.getMessage().contains("cannot serve Prometheus metrics on 127.0.0.1:" + taken.getLocalPort()),
                e.getMessage());
        }
    }
}

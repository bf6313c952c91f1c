package dev.dataforge.core.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Serves a pipeline's metrics for Prometheus at {@code http://host:port/metrics}. Values are read from the stages'
 * counters when Prometheus scrapes: nothing is added to the event path.
 * <ul>
 *   <li>{@code dataforge_stage_events_total{pipeline,stage,outcome}}: in, out, filtered, dead_letter, errors; stages
 *       are source, process and sink</li>
 *   <li>{@code dataforge_transform_events_total{pipeline,transform,outcome}}: the same per transform (filter.1)</li>
 *   <li>{@code dataforge_stage_latency_seconds{pipeline,stage,quantile}},
 *       {@code dataforge_transform_latency_seconds{pipeline,transform,quantile}}: service time per event</li>
 *   <li>{@code dataforge_end_to_end_latency_seconds{pipeline,quantile}}: source poll to sink commit</li>
 *   <li>{@code dataforge_source_lag{pipeline,partition}}, {@code dataforge_source_new_fields_total{pipeline}},
 *   <li>{@code dataforge_ring_occupancy{pipeline}}, {@code dataforge_backpressure_total},
 *       {@code dataforge_sink_commits_total}, {@code dataforge_sink_retries_total}</li>
 *   <li>{@code dataforge_sink_commit_latency_seconds{pipeline,quantile}},
 *       {@code dataforge_sink_batch_events{pipeline,quantile}}</li>
 * </ul>
 */
public final class PrometheusExporter implements AutoCloseable
{
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999, 1.0};

    private final HTTPServer server;

    private PrometheusExporter(final HTTPServer server)
    {
        this.server = server;
    }

    /**
     * @throws IOException when the port cannot be bound; the message names host and port.
     */
    public static PrometheusExporter start(final PipelineMetrics metrics, final String host, final int port)
        throws IOException
    {
        final PrometheusRegistry registry = new PrometheusRegistry();
        final String p = metrics.pipeline();
        events(registry, "dataforge_stage", "stage", "each stage", metrics::stages, p);
        events(registry, "dataforge_transform", "transform", "each transform of the process stage",
            metrics::transforms, p);
        GaugeWithCallback.builder().name("dataforge_end_to_end_latency_seconds")
            .help("source poll to sink commit, by quantile, since start").labelNames("pipeline", "quantile")
            .callback(cb -> quantiles(metrics.endToEnd(), (q, v) -> cb.call(v, p, q))).register(registry);
        GaugeWithCallback.builder().name("dataforge_ring_occupancy").help("slots in use, 0 to 1")
            .labelNames("pipeline")
            .callback(cb -> cb.call((double)metrics.ringOccupancy() / metrics.ringSize(), p)).register(registry);
        GaugeWithCallback.builder().name("dataforge_source_lag").help("records behind the newest, per source " +
            "partition (Kafka: the consumer's lag)").labelNames("pipeline", "partition")
            .callback(cb -> metrics.sourceLag().forEach((partition, lag) -> cb.call(lag, p,
                Integer.toString(partition)))).register(registry);
        CounterWithCallback.builder().name("dataforge_source_new_fields").help("field names seen in records but " +
            "not in the schema, each counted once").labelNames("pipeline")
            .callback(cb -> cb.call(metrics.sourceNewFields(), p)).register(registry);
        CounterWithCallback.builder().name("dataforge_backpressure").help("times the source found the ring full")
            .labelNames("pipeline").callback(cb -> cb.call(metrics.backpressure().get(), p)).register(registry);
        CounterWithCallback.builder().name("dataforge_sink_commits").help("sink commits").labelNames("pipeline")
            .callback(cb -> cb.call(metrics.commits().get(), p)).register(registry);
        CounterWithCallback.builder().name("dataforge_sink_retries").help("sink batches retried after a transient " +
            "failure").labelNames("pipeline").callback(cb -> cb.call(metrics.retries().get(), p)).register(registry);
        GaugeWithCallback.builder().name("dataforge_sink_commit_latency_seconds")
            .help("time of each sink commit, by quantile, since start").labelNames("pipeline", "quantile")
            .callback(cb -> quantiles(metrics.commitLatency(), (q, v) -> cb.call(v, p, q))).register(registry);
        GaugeWithCallback.builder().name("dataforge_sink_batch_events")
            .help("events per committed batch, by quantile, since start").labelNames("pipeline", "quantile")
            .callback(cb -> quantiles(metrics.batchSize(), (q, v) -> cb.call(v * 1e9, p, q))).register(registry);
        try
        {
            return new PrometheusExporter(HTTPServer.builder().hostname(host).port(port).registry(registry)
                .buildAndStart());
        }
        catch (final IOException e)
        {
            throw new IOException("cannot serve Prometheus metrics on " + host + ":" + port + ": " + e.getMessage() +
                " (set metrics.prometheus.port, or enabled: false)", e);
        }
    }

    /** {@code <prefix>_events_total{pipeline,<label>,outcome}} and {@code <prefix>_latency_seconds{...,quantile}}. */
    private static void events(final PrometheusRegistry registry, final String prefix, final String label,
        final String what, final Supplier<List<EventMetrics>> all, final String pipeline)
    {
        CounterWithCallback.builder().name(prefix + "_events").help("events seen by " + what + ", by outcome")
            .labelNames("pipeline", label, "outcome")
            .callback(cb ->
            {
                for (final EventMetrics m : all.get())
                {
                    for (final Counter c : m.counters())
                    {
                        cb.call(c.get(), pipeline, m.name(), c.name());
                    }
                }
            }).register(registry);
        GaugeWithCallback.builder().name(prefix + "_latency_seconds")
            .help("service time per event in " + what + " (batch average), by quantile, since start")
            .labelNames("pipeline", label, "quantile")
            .callback(cb ->
            {
                for (final EventMetrics m : all.get())
                {
                    quantiles(m.latency(), (q, v) -> cb.call(v, pipeline, m.name(), q));
                }
            }).register(registry);
    }

    private interface QuantileSink
    {
        void accept(String quantile, double seconds);
    }

    private static void quantiles(final LatencyRecorder recorder, final QuantileSink sink)
    {
        final Histogram h = recorder.total();
        if (h.getTotalCount() == 0)
        {
            return;
        }
        for (final double q : QUANTILES)
        {
            sink.accept(Double.toString(q), h.getValueAtPercentile(q * 100) / 1e9);
        }
    }

    /** @return the port actually bound (useful with port 0). */
    public int port()
    {
        return server.getPort();
    }

    @Override
    public void close()
    {
        server.close();
    }
}

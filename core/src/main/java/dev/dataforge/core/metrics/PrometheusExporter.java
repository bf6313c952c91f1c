package dev.dataforge.core.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves a pipeline's metrics for Prometheus at {@code http://host:port/metrics}, with {@code /health} and
 * {@code /ready} for orchestrators beside them (every other path is 404). Values are read from the stages' counters
 * and HdrHistograms when Prometheus scrapes: nothing is added to the event path.
 * <p>
 * Labels follow one scheme: {@code pipeline}, {@code stage}, {@code transform}, {@code sink}, {@code topic},
 * {@code partition}, {@code outcome}, {@code state}. The instance is the label Prometheus gives each target it
 * scrapes ({@code instance}); a metric that carried its own would be renamed {@code exported_instance}. Units are
 * base units: seconds, events, ratios.
 * <ul>
 *   <li>{@code dataforge_stage_events_total{pipeline,stage,outcome}}: in, out, filtered, dead_letter, errors,
 *       revoked; stages are source, process and sink</li>
 *   <li>{@code dataforge_transform_events_total{pipeline,transform,outcome}}: the same per transform (filter.1)</li>
 *   <li>histograms {@code dataforge_stage_latency_seconds{pipeline,stage}},
 *       {@code dataforge_transform_latency_seconds{pipeline,transform}}: service time per event (batch average);
 *       {@code dataforge_end_to_end_latency_seconds{pipeline,sink}}: source poll to sink commit, one count per
 *       delivered event; {@code dataforge_sink_commit_latency_seconds{pipeline,sink}}: each commit;
 *       {@code dataforge_sink_batch_events{pipeline,sink}}: events per committed batch</li>
 *   <li>{@code dataforge_source_lag{pipeline,topic,partition}}, {@code dataforge_source_new_fields_total},
 *       {@code dataforge_ring_occupancy}, {@code dataforge_backpressure_total},
 *       {@code dataforge_sink_commits_total{pipeline,sink}}, {@code dataforge_sink_retries_total{pipeline,sink}},
 *       {@code dataforge_sink_skipped_total{pipeline,sink}},
 *       {@code dataforge_sink_up{pipeline,sink}}, {@code dataforge_pipeline_state{pipeline,state}} (1 for the
 *       current state, 0 for the others)</li>
 *   <li>the JVM's own ({@code jvm_*}, {@code process_*}) from the Prometheus client's JVM instrumentation</li>
 * </ul>
 */
public final class PrometheusExporter implements AutoCloseable
{
    private static final String PROTOBUF_NOTE = " (native buckets too, in the protobuf format)";

    private final HttpServer server;
    private final ExecutorService executor;

    private PrometheusExporter(final HttpServer server, final ExecutorService executor)
    {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @throws IOException when the port cannot be bound; the message names host and port.
     */
    public static PrometheusExporter start(final PipelineMetrics metrics, final String host, final int port)
        throws IOException
    {
        final PrometheusRegistry registry = registry(metrics);
        final HttpServer server;
        try
        {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        }
        catch (final IOException e)
        {
            throw new IOException("cannot serve Prometheus metrics on " + host + ":" + port + ": " + e.getMessage() +
                " (set metrics.prometheus.port, or enabled: false)", e);
        }
        final MetricsHandler metricsHandler = new MetricsHandler(registry);
        server.createContext("/", exchange -> route(exchange, metrics, metricsHandler));
        final ExecutorService executor = Executors.newSingleThreadExecutor(r ->
        {
            final Thread t = new Thread(r, "dataforge-metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new PrometheusExporter(server, executor);
    }

    private static void route(final HttpExchange exchange, final PipelineMetrics metrics,
        final MetricsHandler metricsHandler) throws IOException
    {
        final String path = exchange.getRequestURI().getPath();
        switch (path)
        {
            case "/metrics" -> metricsHandler.handle(exchange);
            case "/health", "/healthz" -> respond(exchange, 200, "{\"status\":\"alive\",\"pipeline\":" +
                json(metrics.pipeline()) + ",\"state\":" + json(metrics.state().label()) + "}");
            case "/ready", "/readyz" ->
            {
                final List<String> why = metrics.health().notReady(metrics.sinkNames());
                final StringBuilder body = new StringBuilder("{\"ready\":").append(why.isEmpty())
                    .append(",\"pipeline\":").append(json(metrics.pipeline()))
                    .append(",\"state\":").append(json(metrics.state().label())).append(",\"reasons\":[");
                for (int i = 0; i < why.size(); i++)
                {
                    body.append(i == 0 ? "" : ",").append(json(why.get(i)));
                }
                respond(exchange, why.isEmpty() ? 200 : 503, body.append("]}").toString());
            }
            default -> respond(exchange, 404, "{\"error\":\"no such path: " + path.replace("\"", "") +
                "\",\"paths\":[\"/metrics\",\"/health\",\"/ready\"]}");
        }
    }

    private static void respond(final HttpExchange exchange, final int status, final String json) throws IOException
    {
        final byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, "HEAD".equals(exchange.getRequestMethod()) ? -1 : body.length);
        if (!"HEAD".equals(exchange.getRequestMethod()))
        {
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
        exchange.close();
    }

    private static String json(final String s)
    {
        final StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                b.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
            }
            else
            {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** @return a registry with every metric of the pipeline and the JVM's. */
    static PrometheusRegistry registry(final PipelineMetrics metrics)
    {
        final PrometheusRegistry registry = new PrometheusRegistry();
        final String p = metrics.pipeline();
        events(registry, "dataforge_stage", "stage", "each stage", metrics::stages, p);
        events(registry, "dataforge_transform", "transform", "each transform of the process stage",
            metrics::transforms, p);
        final String[] bySink = {"pipeline", "sink"};
        registry.register(new LatencyHistograms("dataforge_end_to_end_latency_seconds",
            "source poll to sink commit, one count per delivered event, since start" + PROTOBUF_NOTE, bySink,
            LatencyHistograms.SECONDS, 1e-9,
            all -> metrics.sinks().forEach(s -> all.add(new LatencyHistograms.Series(new String[] {p, s.name()},
                s.endToEnd())))));
        registry.register(new LatencyHistograms("dataforge_sink_commit_latency_seconds",
            "time of each sink commit, since start" + PROTOBUF_NOTE, bySink, LatencyHistograms.SECONDS, 1e-9,
            all -> metrics.sinks().forEach(s -> all.add(new LatencyHistograms.Series(new String[] {p, s.name()},
                s.commitLatency())))));
        registry.register(new LatencyHistograms("dataforge_sink_batch_events",
            "events per committed batch, since start" + PROTOBUF_NOTE, bySink, LatencyHistograms.EVENTS, 1,
            all -> metrics.sinks().forEach(s -> all.add(new LatencyHistograms.Series(new String[] {p, s.name()},
                s.batchSize())))));
        GaugeWithCallback.builder().name("dataforge_ring_occupancy").help("slots in use, 0 to 1")
            .labelNames("pipeline")
            .callback(cb -> cb.call((double)metrics.ringOccupancy() / metrics.ringSize(), p)).register(registry);
        GaugeWithCallback.builder().name("dataforge_source_lag").help("records behind the newest, per source " +
            "partition (Kafka: the consumer's lag), for the partitions this instance holds")
            .labelNames("pipeline", "topic", "partition")
            .callback(cb -> metrics.sourceLag().forEach((partition, lag) -> cb.call(lag, p, metrics.topic(),
                Integer.toString(partition)))).register(registry);
        CounterWithCallback.builder().name("dataforge_source_new_fields").help("field names seen in records but " +
            "not in the schema, each counted once").labelNames("pipeline", "topic")
            .callback(cb -> cb.call(metrics.sourceNewFields(), p, metrics.topic())).register(registry);
        CounterWithCallback.builder().name("dataforge_backpressure").help("times the source found the ring full")
            .labelNames("pipeline").callback(cb -> cb.call(metrics.backpressure().get(), p)).register(registry);
        CounterWithCallback.builder().name("dataforge_sink_commits").help("sink commits").labelNames(bySink)
            .callback(cb -> metrics.sinks().forEach(s -> cb.call(s.commits().get(), p, s.name()))).register(registry);
        CounterWithCallback.builder().name("dataforge_sink_retries").help("sink batches retried after a transient " +
            "failure").labelNames(bySink).callback(cb -> metrics.sinks().forEach(s -> cb.call(s.retries().get(), p,
            s.name())))
            .register(registry);
        CounterWithCallback.builder().name("dataforge_sink_skipped").help("events read again after a restart that " +
            "the sink had already committed (another sink was behind), passed over").labelNames(bySink)
            .callback(cb -> metrics.sinks().forEach(s -> cb.call(s.skipped().get(), p, s.name())))
            .register(registry);
        GaugeWithCallback.builder().name("dataforge_sink_up").help("1 while the sink's last attempt succeeded, 0 " +
            "while it is retried (down)").labelNames(bySink)
            .callback(cb -> metrics.sinks().forEach(s -> cb.call(metrics.health().isSinkDown(s.name()) ? 0 : 1, p,
                s.name()))).register(registry);
        GaugeWithCallback.builder().name("dataforge_pipeline_state").help("1 for the state the pipeline is in " +
            "(starting, waiting, recovering, sink_down, backpressured, running, stopping, stopped), 0 for the others")
            .labelNames("pipeline", "state")
            .callback(cb ->
            {
                final PipelineHealth.State now = metrics.state();
                for (final PipelineHealth.State s : PipelineHealth.State.values())
                {
                    cb.call(s == now ? 1 : 0, p, s.label());
                }
            }).register(registry);
        GaugeWithCallback.builder().name("dataforge_lookup_rows").help("rows of the lookup version in use")
            .labelNames("pipeline", "lookup")
            .callback(cb -> metrics.lookups().forEach(l -> cb.call(l.rows(), p, l.name()))).register(registry);
        GaugeWithCallback.builder().name("dataforge_lookup_bytes").help("memory of the lookup version in use: " +
            "rows, index and enrich images").labelNames("pipeline", "lookup")
            .callback(cb -> metrics.lookups().forEach(l -> cb.call(l.bytes(), p, l.name()))).register(registry);
        CounterWithCallback.builder().name("dataforge_lookup_refreshes").help("lookup versions swapped in (ok) " +
            "or failed (failed: the version in use stays)").labelNames("pipeline", "lookup", "outcome")
            .callback(cb -> metrics.lookups().forEach(l ->
            {
                cb.call(l.refreshes(), p, l.name(), "ok");
                cb.call(l.failures(), p, l.name(), "failed");
            })).register(registry);
        GaugeWithCallback.builder().name("dataforge_lookup_age_seconds").help("time since the lookup version in " +
            "use was swapped in").labelNames("pipeline", "lookup")
            .callback(cb -> metrics.lookups().forEach(l -> cb.call((System.currentTimeMillis() -
                l.lastRefreshMillis()) / 1000.0, p, l.name()))).register(registry);
        JvmMetrics.builder().register(registry);
        return registry;
    }

    /** {@code <prefix>_events_total{pipeline,<label>,outcome}} and {@code <prefix>_latency_seconds{...}}. */
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
        registry.register(new LatencyHistograms(prefix + "_latency_seconds",
            "service time per event in " + what + " (batch average), since start" + PROTOBUF_NOTE,
            new String[] {"pipeline", label}, LatencyHistograms.SECONDS, 1e-9, series ->
            {
                for (final EventMetrics m : all.get())
                {
                    series.add(new LatencyHistograms.Series(new String[] {pipeline, m.name()}, m.latency()));
                }
            }));
    }

    /** @return the port actually bound (useful with port 0). */
    public int port()
    {
        return server.getAddress().getPort();
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }
}

package dev.dataforge.core.metrics;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scrapes a running exporter as Prometheus does and parses what it serves with the Prometheus Java client's own
 * protobuf exposition classes (the format Prometheus asks for when it scrapes native histograms).
 */
public final class Scrape
{
    public static final String PROTOBUF =
        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Scrape()
    {
    }

    /** A condition a test waits on; it may scrape (and so throw). */
    public interface Check
    {
        boolean holds() throws Exception;
    }

    /** Waits until {@code condition} holds, two minutes at most (a generous bound for a shared 2-core box). */
    public static void await(final Check condition, final String what) throws Exception
    {
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (!condition.holds())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    public static HttpResponse<String> get(final int port, final String path) throws Exception
    {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return every metric family served on {@code /metrics}, by name, parsed from the protobuf exposition. */
    public static Map<String, Metrics.MetricFamily> families(final int port) throws Exception
    {
        final HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/metrics")).header("Accept", PROTOBUF)
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200)
        {
            throw new AssertionError("/metrics answered " + r.statusCode());
        }
        if (!r.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.google.protobuf"))
        {
            throw new AssertionError("/metrics did not answer in protobuf: " + r.headers());
        }
        final Map<String, Metrics.MetricFamily> families = new LinkedHashMap<>();
        try (InputStream in = new ByteArrayInputStream(r.body()))
        {
            Metrics.MetricFamily f;
            while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null)
            {
                if (families.put(f.getName(), f) != null)
                {
                    throw new AssertionError("metric family served twice: " + f.getName());
                }
            }
        }
        return families;
    }

    /** @return the series of a family whose labels include every given name=value pair. */
    public static Metrics.Metric series(final Map<String, Metrics.MetricFamily> families, final String family,
        final String... labels)
    {
        final Metrics.MetricFamily f = families.get(family);
        if (f == null)
        {
            throw new AssertionError("no metric family " + family + " in " + families.keySet());
        }
        for (final Metrics.Metric m : f.getMetricList())
        {
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2)
            {
                boolean found = false;
                for (final Metrics.LabelPair l : m.getLabelList())
                {
                    found |= l.getName().equals(labels[i]) && l.getValue().equals(labels[i + 1]);
                }
                all &= found;
            }
            if (all)
            {
                return m;
            }
        }
        throw new AssertionError("no series of " + family + " with " + String.join(",", labels) + " in " + f);
    }
}

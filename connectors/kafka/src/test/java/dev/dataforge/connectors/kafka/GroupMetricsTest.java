package dev.dataforge.connectors.kafka;

import dev.dataforge.connectors.kafka.embedded.EmbeddedKafka;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.metrics.PrometheusExporter;
import dev.dataforge.core.metrics.Scrape;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of one pipeline in one consumer group, each serving its own {@code /metrics}: what Prometheus
 * scrapes from both, summed bucket by bucket, is the group's distribution (the counts add up to every event once,
 * and each bucket is what one histogram of all the events holds), and {@code /ready} says when each holds
 * partitions.
 */
class GroupMetricsTest
{
    private static final int EVENTS = 20_000;
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception
    {
        kafka = new EmbeddedKafka();
    }

    @AfterAll
    static void stop() throws Exception
    {
        kafka.close();
    }

    private Pipeline instance(final String name) throws Exception
    {
        final Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: grouped\n" +
            "  source:\n" +
            "    type: kafka\n" +
            "    config: {brokers: '" + kafka.bootstrapServers() + "', topic: group-in, group: group-metrics}\n" +
            "  sink:\n" +
            "    type: kafka\n" +
            "    config: {brokers: '" + kafka.bootstrapServers() + "', topic: group-out, key: event.user_id}\n" +
            "    batch: {max_events: 500, linger: 20ms}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        return new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(Map.of())
            .load(file)), RunOptions.unbounded());
    }

    /**
     * Each instance on a thread of its own: on a 2-core host the common pool may have one worker, and the second
     * instance then waited for the first to end (seen on JDK 25: "timed out waiting for both instances ready").
     */
    private static CompletableFuture<RunResult> runAsync(final Pipeline p)
    {
        final java.util.concurrent.Executor own = task ->
        {
            final Thread t = new Thread(task, "instance-run");
            t.setDaemon(true);
            t.start();
        };
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return p.run();
            }
            catch (final Exception e)
            {
                throw new CompletionException(e);
            }
        }, own);
    }

    @Test
    void twoInstancesHistogramsSummedAreTheGroupsDistribution() throws Exception
    {
        kafka.createTopic("group-in", 4);
        kafka.createTopic("group-out", 4);
        final Pipeline a = instance("a");
        final Pipeline b = instance("b");
        final List<CompletableFuture<RunResult>> runs = new ArrayList<>();
        try (PrometheusExporter ea = PrometheusExporter.start(a.metrics(), "127.0.0.1", 0);
             PrometheusExporter eb = PrometheusExporter.start(b.metrics(), "127.0.0.1", 0))
        {
            assertEquals(503, Scrape.get(ea.port(), "/ready").statusCode(), "ready before it runs");
            runs.add(runAsync(a));
            Scrape.await(() -> Scrape.get(ea.port(), "/ready").statusCode() == 200, "instance a ready");
            runs.add(runAsync(b));
            // both hold partitions: the group has split the four between them
            Scrape.await(() -> Scrape.get(ea.port(), "/ready").statusCode() == 200 &&
                Scrape.get(eb.port(), "/ready").statusCode() == 200, "both instances ready");

            TestTopics.produceJson(kafka.bootstrapServers(), "group-in", EVENTS, 4);
            Scrape.await(() -> a.metrics().delivered() + b.metrics().delivered() == EVENTS, "every event delivered");

            final Map<String, Metrics.MetricFamily> fa = Scrape.families(ea.port());
            final Map<String, Metrics.MetricFamily> fb = Scrape.families(eb.port());
            final Metrics.Histogram ha = e2e(fa);
            final Metrics.Histogram hb = e2e(fb);
            // each instance's count is what it delivered, and both delivered some
            assertEquals(a.metrics().delivered(), ha.getSampleCount());
            assertEquals(b.metrics().delivered(), hb.getSampleCount());
            assertEquals((double)a.metrics().delivered(), delivered(fa));
            assertTrue(ha.getSampleCount() > 0 && hb.getSampleCount() > 0,
                "a " + ha.getSampleCount() + ", b " + hb.getSampleCount());
            // summed, the counts are the group's: every event once
            assertEquals(EVENTS, ha.getSampleCount() + hb.getSampleCount());

            // bucket by bucket, the sum is the histogram of all the group's events
            final Histogram group = a.metrics().endToEnd().total();
            group.add(b.metrics().endToEnd().total());
            assertEquals(ha.getBucketCount(), hb.getBucketCount(), "the same bounds on every instance");
            long previous = 0;
            for (int i = 0; i < ha.getBucketCount(); i++)
            {
                final Metrics.Bucket x = ha.getBucket(i);
                final Metrics.Bucket y = hb.getBucket(i);
                assertEquals(x.getUpperBound(), y.getUpperBound());
                final long summed = x.getCumulativeCount() + y.getCumulativeCount();
                assertTrue(summed >= previous, "cumulative counts never fall");
                previous = summed;
                final double le = x.getUpperBound();
                final long expected = Double.isInfinite(le) ? group.getTotalCount() :
                    atOrBelow(group, le);
                assertEquals(expected, summed, "bucket le=" + le);
            }
            assertEquals(EVENTS, previous, "+Inf holds every event");
        }
        finally
        {
            a.stop();
            b.stop();
        }
        for (final CompletableFuture<RunResult> run : runs)
        {
            final RunResult r = run.get(120, TimeUnit.SECONDS);
            assertNull(r.error(), String.valueOf(r.error()));
        }
        assertEquals(EVENTS, TestTopics.readCommitted(kafka.bootstrapServers(), "group-out").size());
    }

    private static Metrics.Histogram e2e(final Map<String, Metrics.MetricFamily> f)
    {
        return Scrape.series(f, "dataforge_end_to_end_latency_seconds", "pipeline", "grouped", "sink", "kafka")
            .getHistogram();
    }

    private static double delivered(final Map<String, Metrics.MetricFamily> f)
    {
        return Scrape.series(f, "dataforge_stage_events_total", "stage", "sink", "outcome", "out").getCounter()
            .getValue();
    }

    /** What a Prometheus bucket of bound {@code le} holds: recorded values (ns, lowest equivalent) at or below. */
    private static long atOrBelow(final Histogram h, final double le)
    {
        long n = 0;
        for (final org.HdrHistogram.HistogramIterationValue v : h.recordedValues())
        {
            if (h.lowestEquivalentValue(v.getValueIteratedTo()) * 1e-9 <= le)
            {
                n += v.getCountAtValueIteratedTo();
            }
        }
        return n;
    }
}

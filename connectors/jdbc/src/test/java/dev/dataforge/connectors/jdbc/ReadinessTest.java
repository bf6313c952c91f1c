package dev.dataforge.connectors.jdbc;

import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.metrics.PrometheusExporter;
import dev.dataforge.core.metrics.Scrape;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /ready} on the metrics port follows a real PostgreSQL going down and coming back while events flow: 503
 * with the reason while the sink is retried, 200 again once it commits; {@code /health} stays 200 throughout, and
 * nothing is lost or written twice.
 */
class ReadinessTest
{
    @TempDir
    Path dir;

    private static int freePort() throws Exception
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    private EmbeddedPostgres postgres(final int port) throws Exception
    {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dir.resolve("pg"))
            .setCleanDataDirectory(false).start();
    }

    @Test
    void readyFlipsWhileTheDatabaseIsDownAndBackAndNothingIsLost() throws Exception
    {
        final int pgPort = freePort();
        EmbeddedPostgres pg = postgres(pgPort);
        final String url = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        final Path file = dir.resolve("ready.yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: readiness\n" +
            "  source: {type: generator, config: {seed: 9, events: 1000000, rate: 2000, users: 100}}\n" +
            "  sink:\n" +
            "    type: postgres\n" +
            "    config: {url: '" + url + "', user: postgres, table: ready_events}\n" +
            "    batch: {max_events: 200, linger: 20ms}\n" +
            "    retry: {max_attempts: 100000, initial_backoff: 20ms, max_backoff: 200ms}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
            "  dead_letter: {config: {path: dlq-ready.jsonl}}\n");
        final Pipeline pipeline = new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(
            Map.of()).load(file)), RunOptions.unbounded());
        CompletableFuture<RunResult> run = null;
        try (PrometheusExporter exporter = PrometheusExporter.start(pipeline.metrics(), "127.0.0.1", 0))
        {
            final int port = exporter.port();
            run = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return pipeline.run();
                }
                catch (final Exception e)
                {
                    throw new CompletionException(e);
                }
            });
            Scrape.await(() -> Scrape.get(port, "/ready").statusCode() == 200 && pipeline.metrics().delivered() > 0,
                "ready and delivering");

            pg.close(); // the database goes down (its data stays)
            Scrape.await(() -> Scrape.get(port, "/ready").statusCode() == 503, "/ready 503 while the database is down");
            final HttpResponse<String> down = Scrape.get(port, "/ready");
            assertTrue(down.body().contains("\"ready\":false") && down.body().contains("sink postgres is down"),
                down.body());
            assertEquals(200, Scrape.get(port, "/health").statusCode(), "alive while the sink is down");
            assertEquals(1, Scrape.series(Scrape.families(port), "dataforge_pipeline_state", "state", "sink_down")
                .getGauge().getValue());
            assertEquals(0, Scrape.series(Scrape.families(port), "dataforge_sink_up").getGauge().getValue());
            final long deliveredWhileDown = pipeline.metrics().delivered();

            pg = postgres(pgPort); // back, on the same data
            Scrape.await(() -> Scrape.get(port, "/ready").statusCode() == 200 &&
                pipeline.metrics().delivered() > deliveredWhileDown, "/ready 200 again and delivering");
            assertEquals(1, Scrape.series(Scrape.families(port), "dataforge_sink_up").getGauge().getValue());
            assertTrue(pipeline.metrics().retries() > 0, "the sink was retried");
        }
        finally
        {
            pipeline.stop();
            try
            {
                if (run != null)
                {
                    final RunResult r = run.get(120, TimeUnit.SECONDS);
                    assertNull(r.error(), String.valueOf(r.error()));
                    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT event_id) FROM ready_events"))
                    {
                        rs.next();
                        assertEquals(r.delivered(), rs.getLong(1), "every delivered event is in the table");
                        assertEquals(rs.getLong(1), rs.getLong(2), "none twice");
                    }
                }
            }
            finally
            {
                pg.close();
            }
        }
    }
}

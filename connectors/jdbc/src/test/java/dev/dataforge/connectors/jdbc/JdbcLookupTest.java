package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.lookup.LookupRows;
import dev.dataforge.api.lookup.LookupSource;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.config.YamlTree;
import dev.dataforge.core.metrics.LookupStats;
import dev.dataforge.core.metrics.Scrape;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.CapturingSinkFactory;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code type: jdbc} lookups against a real PostgreSQL: loaded at start, refreshed while events flow (whole or
 * incrementally), swapped in whole, and a refresh that fails keeps the table in use.
 */
class JdbcLookupTest
{
    @TempDir
    Path dir;

    private int port;

    private static int freePort() throws Exception
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    private EmbeddedPostgres postgres() throws Exception
    {
        if (port == 0)
        {
            port = freePort();
        }
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dir.resolve("pg"))
            .setCleanDataDirectory(false).start();
    }

    private String url()
    {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private void sql(final String... statements) throws Exception
    {
        try (Connection c = DriverManager.getConnection(url(), "postgres", "postgres"); Statement s = c.createStatement())
        {
            for (final String st : statements)
            {
                s.execute(st);
            }
        }
    }

    private ConfigValues lookupConfig(final String yaml)
    {
        return new JdbcLookupFactory().spec().bind(YamlTree.parse(yaml, "test.yaml", Map.of()), "lookup 'p'", dir);
    }

    /**
     * Profiles change in the database three times while events flow; each change shows up in enriched events, every
     * event is enriched from one version of its row (tier and version always agree), a deleted row stops matching,
     * and while the database is down the last table stays in use.
     */
    @Test
    void changesInTheDatabaseReachTheEventsWholeAndADownDatabaseKeepsTheTable() throws Exception
    {
        EmbeddedPostgres pg = postgres();
        sql("CREATE TABLE profiles (user_id bigint PRIMARY KEY, tier text NOT NULL, version int NOT NULL)",
            "INSERT INTO profiles SELECT g, 'v0', 0 FROM generate_series(1, 100) g");
        final Path file = dir.resolve("live.yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: live-lookup\n" +
            "  source: {type: generator, config: {seed: 3, rate: 5000, users: 100}}\n" +
            "  transforms:\n" +
            "    - {type: enrich, lookup: profiles, key: event.user_id}\n" +
            "  lookups:\n" +
            "    profiles:\n" +
            "      type: jdbc\n" +
            "      config: {url: '" + url() + "', user: postgres, table: profiles, key: user_id, refresh: 200ms, " +
            "columns: {tier: string(8)}}\n" +
            "  sink: {type: capture, config: {capture: live, fields: [user_id, tier, version]}}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        final ConcurrentLinkedQueue<String[]> captured = CapturingSinkFactory.capture("live");
        final Pipeline pipeline = new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(
            Map.of()).load(file)), RunOptions.unbounded());
        final LookupStats stats = pipeline.metrics().lookups().get(0);
        final CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() ->
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
        try
        {
            Scrape.await(() -> seen(captured, "0"), "events enriched from the first version");
            for (int v = 1; v <= 3; v++)
            {
                sql("UPDATE profiles SET tier = 'v" + v + "', version = " + v);
                final String version = Integer.toString(v);
                Scrape.await(() -> seen(captured, version), "events enriched from version " + v);
            }
            sql("DELETE FROM profiles WHERE user_id = 7");
            Scrape.await(() -> missed(captured, "7"), "events of user 7 no longer matching");
            final long refreshes = stats.refreshes();
            assertTrue(refreshes >= 4, "versions swapped in: " + refreshes);

            pg.close(); // the database goes away: refreshes fail, the table in use stays
            Scrape.await(() -> stats.failures() > 0 && stats.failing() != null, "a failed refresh");
            assertTrue(stats.failing().contains("table profiles at jdbc:postgresql://127.0.0.1:" + port),
                stats.failing());
            final int before = captured.size();
            Scrape.await(() -> captured.size() > before + 1000, "events flowing while the database is down");
            assertEquals(99, stats.rows(), "the last good version stays");
            pg = postgres();
            Scrape.await(() -> stats.failing() == null, "the refresh working again");
        }
        finally
        {
            pipeline.stop();
            final RunResult r = run.get(120, TimeUnit.SECONDS);
            pg.close();
            assertNull(r.error(), String.valueOf(r.error()));
        }
        long mixed = 0;
        for (final String[] row : captured)
        {
            final boolean agree = row[1] == null ? row[2] == null : row[1].equals("v" + row[2]);
            if (!agree)
            {
                mixed++;
            }
        }
        assertEquals(0, mixed, "events enriched from a mix of two versions of their row");
    }

    private static boolean seen(final ConcurrentLinkedQueue<String[]> rows, final String version)
    {
        for (final String[] r : rows)
        {
            if (version.equals(r[2]))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean missed(final ConcurrentLinkedQueue<String[]> rows, final String user)
    {
        for (final String[] r : rows)
        {
            if (user.equals(r[0]) && r[1] == null)
            {
                return true;
            }
        }
        return false;
    }

    @Test
    void anIncrementalRefreshMergesTheChangedRowsByKey() throws Exception
    {
        final EmbeddedPostgres pg = postgres();
        try
        {
            sql("CREATE TABLE inc (user_id bigint PRIMARY KEY, tier text, updated_at timestamptz NOT NULL)",
                "INSERT INTO inc SELECT g, 'bronze', now() - interval '1 day' FROM generate_series(1, 1000) g");
            try (LookupSource source = new JdbcLookupFactory().open("p", lookupConfig("{url: '" + url() + "', " +
                "user: postgres, table: inc, key: user_id, refresh: 50ms, incremental_by: updated_at}"), dir))
            {
                assertTrue(source.live());
                assertEquals(1000, source.initial().size());
                sql("UPDATE inc SET tier = 'gold', updated_at = now() WHERE user_id = 42",
                    "INSERT INTO inc VALUES (1001, 'new', now())");
                final LookupRows next = awaitVersion(source, rows -> tier(rows, "42").equals("gold"));
                assertEquals(1001, next.size(), "merged by key: one row changed, one added");
                assertEquals("new", tier(next, "1001"));
                assertEquals("bronze", tier(next, "41"));
                assertTrue(source.describe().contains("rows with updated_at at or above the highest seen"),
                    source.describe());
            }
        }
        finally
        {
            pg.close();
        }
    }

    @Test
    void notRequiredStartsEmptyWithoutTheDatabaseAndFillsWhenItComes() throws Exception
    {
        final EmbeddedPostgres pg = postgres();
        sql("CREATE TABLE late (user_id bigint PRIMARY KEY, tier text)", "INSERT INTO late VALUES (1, 'gold')");
        pg.close();
        final ConfigValues config = lookupConfig("{url: '" + url() + "', user: postgres, table: late, key: user_id, " +
            "refresh: 50ms, required: false, columns: {user_id: long, tier: string(16)}}");
        try (LookupSource source = new JdbcLookupFactory().open("p", config, dir))
        {
            assertEquals(0, source.initial().size());
            assertEquals(List.of("user_id", "tier"), source.initial().columns());
            assertThrows(Exception.class, () -> source.next(Duration.ofMillis(100)), "the database is still down");
            final EmbeddedPostgres back = postgres();
            try
            {
                final LookupRows rows = awaitVersion(source, r -> r.size() == 1);
                assertEquals("gold", tier(rows, "1"));
            }
            finally
            {
                back.close();
            }
        }
        final ConfigException needsColumns = assertThrows(ConfigException.class, () -> new JdbcLookupFactory()
            .open("p", lookupConfig("{url: '" + url() + "', table: late, key: user_id, required: false}"), dir));
        assertTrue(needsColumns.getMessage().contains("'required: false' needs 'columns' to declare every column"),
            needsColumns.getMessage());
        final Exception down = assertThrows(Exception.class, () -> new JdbcLookupFactory()
            .open("p", lookupConfig("{url: '" + url() + "', user: postgres, table: late, key: user_id}"), dir));
        assertTrue(down.getMessage().contains("table late at jdbc:postgresql://127.0.0.1:" + port) &&
            down.getMessage().contains("set required: false to start without it"), down.getMessage());
    }

    @Test
    void validateNamesAMissingKeyColumnAndATableOverMaxBytes() throws Exception
    {
        final EmbeddedPostgres pg = postgres();
        try
        {
            sql("CREATE TABLE big (user_id bigint PRIMARY KEY, note text)",
                "INSERT INTO big SELECT g, repeat('x', 100) FROM generate_series(1, 1000) g");
            final Exception noKey = assertThrows(Exception.class, () -> new JdbcLookupFactory().open("p",
                lookupConfig("{url: '" + url() + "', user: postgres, query: 'SELECT note FROM big', key: user_id}"),
                dir));
            assertTrue(noKey.getMessage().contains("key column 'user_id' is not among the columns [note]"),
                noKey.getMessage());
            final Path file = dir.resolve("big.yaml");
            Files.writeString(file, "pipeline:\n" +
                "  name: big-lookup\n" +
                "  source: {type: generator, config: {seed: 3, events: 10, users: 100}}\n" +
                "  transforms:\n" +
                "    - {type: enrich, lookup: big, key: event.user_id}\n" +
                "  lookups:\n" +
                "    big: {type: jdbc, max_bytes: 64KiB, config: {url: '" + url() + "', user: postgres, table: big, " +
                "key: user_id}}\n" +
                "  sink: {type: blackhole}\n");
            final ConfigException tooBig = assertThrows(ConfigException.class, () -> new PipelinePlanner(
                new Connectors()).plan(new PipelineConfigLoader(Map.of()).load(file)));
            assertTrue(tooBig.getMessage().contains("lookup 'big' needs") &&
                tooBig.getMessage().contains("more than max_bytes 65536"), tooBig.getMessage());
            assertTrue(tooBig.getMessage().startsWith(file + ":7:"), tooBig.getMessage()); // at max_bytes
        }
        finally
        {
            pg.close();
        }
    }

    private interface RowsCheck
    {
        boolean holds(LookupRows rows);
    }

    private static LookupRows awaitVersion(final LookupSource source, final RowsCheck check) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline)
        {
            try
            {
                final LookupRows rows = source.next(Duration.ofMillis(100));
                if (rows != null && check.holds(rows))
                {
                    return rows;
                }
            }
            catch (final java.sql.SQLException notYet)
            {
                Thread.sleep(100); // the database is still starting
            }
        }
        throw new AssertionError("no version as expected within 60 s");
    }

    private static String tier(final LookupRows rows, final String user)
    {
        final int key = rows.columns().indexOf("user_id");
        final int tier = rows.columns().indexOf("tier");
        final List<String> found = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++)
        {
            if (user.equals(rows.value(r, key)))
            {
                found.add(rows.value(r, tier));
            }
        }
        assertEquals(1, found.size(), "user " + user + " once in " + rows.size() + " rows");
        return found.get(0);
    }
}

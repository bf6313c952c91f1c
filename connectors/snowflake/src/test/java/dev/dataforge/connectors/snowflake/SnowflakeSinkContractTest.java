package dev.dataforge.connectors.snowflake;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.connectors.jdbc.SinkContractTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sink contract through the real {@code snowflake-jdbc} driver, against {@link SnowflakeTestServer} (the
 * Snowflake protocol on loopback, DuckDB behind it); plus what only this path shows: key-pair login, the rollback of a
 * batch and its checkpoint together, timestamps that keep their UTC wall clock whatever the session's time zone, and
 * a statement the server does not understand failing loudly.
 */
class SnowflakeSinkContractTest extends SinkContractTest
{
    private static final String PASSWORD = "Sn0w-s3cret";
    private static Path home;
    private static SnowflakeTestServer server;

    @BeforeAll
    static void start() throws Exception
    {
        home = Files.createTempDirectory("snowflake-test-server");
        server = new SnowflakeTestServer(home.resolve("snowflake.duckdb")).user("loader", PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception
    {
        server.close();
        try (var files = Files.walk(home))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void cleanTables() throws SQLException
    {
        try (Connection c = server.inspect(); Statement s = c.createStatement())
        {
            for (final String t : List.of("contract_rows", "contract_poison", "contract_killed", "typed",
                "contract_json", "dataforge_checkpoints"))
            {
                s.execute("DROP TABLE IF EXISTS " + t);
            }
        }
    }

    /** Every statement the sink sent was understood: nothing passed by being ignored. */
    @AfterEach
    void nothingRefused()
    {
        assertEquals(List.of(), server.refused(), "statements the test server refused");
    }

    @Override
    protected String type()
    {
        return "snowflake";
    }

    @Override
    protected String config(final String table)
    {
        return "url: '" + server.url() + "', user: loader, password: '" + PASSWORD + "', database: EVENTS, " +
            "schema: STREAMING, warehouse: ANALYTICS_WH, table: " + table;
    }

    @Override
    protected Connection inspect() throws SQLException
    {
        return server.inspect();
    }

    @Override
    protected boolean supportsKill()
    {
        return true;
    }

    @Override
    protected boolean killSinkConnections()
    {
        return server.killSessions() > 0;
    }

    private final RecordLayout layout = SbeLayouts.userEvent();

    private void event(final UnsafeBuffer slot, final long id, final long micros)
    {
        for (final Field f : layout.fields())
        {
            f.putNull(slot, 0);
        }
        layout.field("event_id").putLong(slot, 0, id);
        layout.field("event_time").putLong(slot, 0, micros);
        layout.field("user_id").putLong(slot, 0, id % 7);
        layout.field("page").putString(slot, 0, "caf\u00e9 'quoted' \"page\"".getBytes(StandardCharsets.UTF_8));
        layout.field("amount").putLong(slot, 0, -id);
    }

    @Test
    void aFailureBetweenTheInsertAndTheCommitRollsBackBothTheBatchAndItsCheckpoint() throws Exception
    {
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[512]);
        try (Sink sink = sink("contract_rows"))
        {
            sink.open();
            for (int i = 1; i <= 100; i++)
            {
                event(slot, i, 1_700_000_000_000_000L + i);
                sink.append(slot, 0);
            }
            // the rows are inserted, then the checkpoint upsert fails: nothing of the transaction may remain
            server.failNext("^\\s*MERGE", "000630", "57014", "Statement reached its statement or warehouse timeout");
            final int before = server.statements().size();
            assertThrows(Exception.class, () -> sink.commit(List.of(new Checkpoint("contract", "kafka", 0, "", 99, -1, 0))));
            final List<String> sent = server.statements().subList(before, server.statements().size());
            assertTrue(sent.stream().anyMatch(s -> s.startsWith("INSERT INTO \"CONTRACT_ROWS\"")), sent.toString());
            sink.abort();
            assertTrue(server.statements().stream().skip(before).anyMatch(s -> s.strip().equalsIgnoreCase(
                "rollback")), "the sink rolled back");
            assertEquals(0, count("contract_rows"), "rows of the rolled back transaction");
            assertEquals(List.of(), sink.readCheckpoints("contract"), "checkpoint of the rolled back transaction");

            // the same sink then commits both together
            for (int i = 1; i <= 100; i++)
            {
                event(slot, i, 1_700_000_000_000_000L + i);
                sink.append(slot, 0);
            }
            sink.commit(List.of(new Checkpoint("contract", "kafka", 0, "", 99, -1, 0)));
            assertEquals(100, count("contract_rows"));
            assertEquals(List.of(new Checkpoint("contract", "kafka", 0, "", 99, -1, 0)), sink.readCheckpoints("contract"));
        }
    }

    @Test
    void valuesRoundTripAndTimestampsKeepTheirUtcWallClockWhateverTheSessionTimeZone() throws Exception
    {
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[512]);
        final long micros = 1_764_019_688_123_456L; // 2025-11-24T21:28:08.123456Z
        try (Sink sink = sink("typed"))
        {
            sink.open();
            event(slot, 42, micros);
            sink.append(slot, 0);
            sink.commit(List.of());
        }
        try (Connection c = inspect(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT event_time, page, amount, user_id, type FROM typed"))
        {
            assertTrue(rs.next());
            assertEquals(LocalDateTime.of(2025, 11, 24, 21, 28, 8, 123_456_000), rs.getObject(1, LocalDateTime.class));
            assertEquals("caf\u00e9 'quoted' \"page\"", rs.getString(2));
            assertEquals(new java.math.BigDecimal("-0.42"), rs.getBigDecimal(3));
            assertEquals(0, rs.getLong(4));
            assertEquals(null, rs.getString(5));
        }
    }

    @Test
    void keyPairAuthenticationLogsInWithAJwtSignedByThePrivateKey() throws Exception
    {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        final KeyPair keys = generator.generateKeyPair();
        server.user("keyloader", keys.getPublic());
        final Path pem = dir.resolve("rsa_key.p8");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(
            StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(pem, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        final SnowflakeSinkFactory factory = new SnowflakeSinkFactory(Map.of());
        final ConfigValues values = ConfigValues.defaults(factory.spec(), Map.of("url", server.url(), "user",
            "keyloader", "private_key_file", pem.toString(), "table", "contract_rows"));
        final long logins = server.logins();
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[512]);
        try (Sink sink = factory.create(new ConnectorContext("contract", layout, values, dir)))
        {
            sink.open();
            event(slot, 7, 1_700_000_000_000_000L);
            sink.append(slot, 0);
            sink.commit(List.of());
        }
        assertTrue(server.logins() > logins);
        assertEquals(1, count("contract_rows"));

        // a key the server does not know is refused with Snowflake's message, and never retried as if transient
        final KeyPairGenerator other = KeyPairGenerator.getInstance("RSA");
        other.initialize(2048);
        server.user("keyloader", other.generateKeyPair().getPublic());
        try (Sink sink = factory.create(new ConnectorContext("contract", layout, values, dir)))
        {
            final Exception e = assertThrows(Exception.class, sink::open);
            assertTrue(e.getMessage().contains("Incorrect username or password"), e.getMessage());
            assertEquals(Sink.Failure.FATAL, sink.classify(e));
        }
    }

    @Test
    void aStatementTheServerDoesNotUnderstandFailsLoudlyInsteadOfPassing() throws Exception
    {
        final Properties p = new Properties();
        p.setProperty("user", "loader");
        p.setProperty("password", PASSWORD);
        Class.forName(SnowflakeSinkFactory.DRIVER);
        try (Connection c = DriverManager.getConnection(server.url(), p); Statement s = c.createStatement())
        {
            final SQLException e = assertThrows(SQLException.class, () -> s.execute("SHOW TABLES IN SCHEMA x"));
            assertTrue(e.getMessage().contains("not supported by the DataForge Snowflake test server"),
                e.getMessage());
            assertEquals(1, server.refused().size(), server.refused().toString());
            assertTrue(server.refused().get(0).startsWith("SHOW TABLES IN SCHEMA x"), server.refused().toString());
        }
        finally
        {
            server.refused().clear();
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithSnowflakesMessageAndNeverLeaks() throws Exception
    {
        final SnowflakeSinkFactory factory = new SnowflakeSinkFactory(Map.of());
        final ConfigValues values = ConfigValues.defaults(factory.spec(), Map.of("url", server.url(), "user",
            "loader", "password", "Wr0ng-Pa55", "table", "contract_rows"));
        try (Sink sink = factory.create(new ConnectorContext("contract", layout, values, dir)))
        {
            final Exception e = assertThrows(Exception.class, sink::open);
            assertTrue(e.getMessage().contains("Incorrect username or password"), e.getMessage());
            for (Throwable t = e; t != null; t = t.getCause())
            {
                assertTrue(!String.valueOf(t.getMessage()).contains("Wr0ng-Pa55"), t.getMessage());
            }
            assertEquals(Sink.Failure.FATAL, sink.classify(e));
        }
    }
}

package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DuckDbSinkTest
{
    @TempDir
    Path dir;

    private final RecordLayout layout = SbeLayouts.userEvent().withEnrichment(List.of(
        new Field("tier", FieldType.STRING, 0, 12, 0), new Field("ltv", FieldType.DECIMAL, 0, 8, 2),
        new Field("score", FieldType.DOUBLE, 0, 8, 0), new Field("vip", FieldType.BOOLEAN, 0, 1, 0),
        new Field("visits", FieldType.LONG, 0, 4, 0)));
    private final UnsafeBuffer slot = new UnsafeBuffer(new byte[1024]);

    private Sink sink(final Map<String, String> options) throws Exception
    {
        final DuckDbSinkFactory factory = new DuckDbSinkFactory();
        final Map<String, String> all = new HashMap<>(Map.of("path", dir.resolve("db/test.duckdb").toString()));
        all.putAll(options);
        return factory.create(new ConnectorContext("sink-test", layout, ConfigValues.defaults(factory.spec(), all),
            dir));
    }

    private void event(final long id, final boolean nulls)
    {
        slot.setMemory(0, slot.capacity(), (byte)0);
        final Map<String, Field> f = new HashMap<>();
        layout.fields().forEach(x -> f.put(x.name(), x));
        f.get("event_id").putLong(slot, 0, id);
        f.get("event_time").putLong(slot, 0, -86_400_000_001L + id * 1_000_003L);
        if (nulls)
        {
            for (final String n : new String[] {"user_id", "session_id", "type", "page", "amount", "currency", "tier",
                "ltv", "score", "vip", "visits"})
            {
                f.get(n).putNull(slot, 0);
            }
            return;
        }
        f.get("user_id").putLong(slot, 0, id * 7);
        f.get("session_id").putLong(slot, 0, id * 11);
        f.get("type").putString(slot, 0, "purchase".getBytes(StandardCharsets.UTF_8));
        f.get("page").putString(slot, 0, "/caf\u00e9/\"quoted\"".getBytes(StandardCharsets.UTF_8));
        f.get("amount").putLong(slot, 0, -5);
        f.get("currency").putString(slot, 0, "EUR".getBytes(StandardCharsets.UTF_8));
        f.get("tier").putString(slot, 0, "enterprise".getBytes(StandardCharsets.UTF_8));
        f.get("ltv").putLong(slot, 0, 123456);
        f.get("score").putDouble(slot, 0, 0.25);
        f.get("vip").putBoolean(slot, 0, true);
        f.get("visits").putLong(slot, 0, 42);
    }

    private Connection read() throws SQLException
    {
        return DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("db/test.duckdb"));
    }

    @Test
    void createsTheTableFromTheLayoutAndCommitsEveryColumnWithNulls() throws Exception
    {
        try (Sink sink = sink(Map.of("table", "events")))
        {
            sink.open();
            event(1, false);
            sink.append(slot, 0);
            event(2, true);
            sink.append(slot, 0);
            sink.commit();
        }
        try (Connection c = read(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT * FROM events ORDER BY event_id"))
        {
            assertTrue(rs.next());
            assertEquals(1, rs.getLong("event_id"));
            assertEquals(LocalDateTime.of(1969, 12, 31, 0, 0, 1, 2000), rs.getObject("event_time",
                LocalDateTime.class));
            assertEquals(7, rs.getLong("user_id"));
            assertEquals("purchase", rs.getString("type"));
            assertEquals("/caf\u00e9/\"quoted\"", rs.getString("page"));
            assertEquals(new BigDecimal("-0.05"), rs.getBigDecimal("amount"));
            assertEquals("EUR", rs.getString("currency"));
            assertEquals("enterprise", rs.getString("tier"));
            assertEquals(new BigDecimal("1234.56"), rs.getBigDecimal("ltv"));
            assertEquals(0.25, rs.getDouble("score"));
            assertTrue(rs.getBoolean("vip"));
            assertEquals(42, rs.getInt("visits"));
            assertTrue(rs.next());
            assertEquals(2, rs.getLong("event_id"));
            for (final String n : new String[] {"user_id", "session_id", "type", "page", "amount", "currency", "tier",
                "ltv", "score", "vip", "visits"})
            {
                assertNull(rs.getObject(n), n);
            }
        }
    }

    @Test
    void appendsToAnExistingTableAndTruncatesOnlyWhenAsked() throws Exception
    {
        for (int run = 0; run < 2; run++)
        {
            try (Sink sink = sink(Map.of()))
            {
                sink.open();
                for (int i = 0; i < 1000; i++)
                {
                    event(i, i % 3 == 0);
                    sink.append(slot, 0);
                }
                sink.commit();
            }
        }
        assertEquals(2000, count("sink_test"));
        try (Sink sink = sink(Map.of("truncate_on_start", "true")))
        {
            sink.open();
            event(1, false);
            sink.append(slot, 0);
            sink.commit();
        }
        assertEquals(1, count("sink_test"));
    }

    @Test
    void rowsAppendedButNotCommittedAreNotVisibleToReaders() throws Exception
    {
        try (Sink sink = sink(Map.of("table", "t"));
            Connection reader = ((org.duckdb.DuckDBConnection)open(sink)).duplicate())
        {
            reader.setAutoCommit(true); // a duplicate takes its original's setting, and the sink's is off
            event(1, false);
            sink.append(slot, 0);
            sink.commit();
            // more than the appender's chunk (2,048 rows): it hands rows to the table before any flush
            for (int i = 2; i <= 5_000; i++)
            {
                event(i, false);
                sink.append(slot, 0);
            }
            assertEquals(1, countOn(reader, "t"));
            sink.commit();
            assertEquals(5_000, countOn(reader, "t"));
        }
    }

    @Test
    void anAbortedBatchLeavesNothingEvenWhereTheAppenderHandedRowsOver() throws Exception
    {
        try (Sink sink = sink(Map.of("table", "ab")))
        {
            final Connection own = open(sink);
            event(1, false);
            sink.append(slot, 0);
            sink.commit(List.of(new Checkpoint("sink-test", "generator", 0, "", 1, -1, 0)));
            for (int i = 2; i <= 5_000; i++) // 2 chunks handed over, the rest held in the appender
            {
                event(i, false);
                sink.append(slot, 0);
            }
            sink.abort();
            assertEquals(1, countOn(own, "ab"), "the rows handed over are rolled back");
            event(6_000, false);
            sink.append(slot, 0);
            sink.commit(List.of(new Checkpoint("sink-test", "generator", 0, "", 6_000, -1, 0)));
            assertEquals(2, countOn(own, "ab"), "the rows the appender held are gone too, not committed later");
            assertEquals(6_000, sink.readCheckpoints("sink-test").get(0).offset());
            for (int i = 7_000; i < 7_100; i++) // appended, never committed: closing must not commit them
            {
                event(i, false);
                sink.append(slot, 0);
            }
        }
        assertEquals(2, count("ab"));
        try (Connection c = read(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT min(event_id), max(event_id) FROM ab"))
        {
            rs.next();
            assertEquals(1, rs.getLong(1));
            assertEquals(6_000, rs.getLong(2));
        }
    }

    private static Connection open(final Sink sink) throws Exception
    {
        sink.open();
        return ((DuckDbSink)sink).connectionForTest();
    }

    @Test
    void checkpointsCommitWithTheirBatchAndAFailedCommitLeavesNeither() throws Exception
    {
        try (Sink sink = sink(Map.of("table", "cp")))
        {
            sink.open();
            event(1, false);
            sink.append(slot, 0);
            sink.commit(List.of(new Checkpoint("sink-test", "generator", 0, "", 41, -1, 0),
                new Checkpoint("sink-test", "generator", 3, "", 7, 12, 0)));
            assertEquals(List.of(new Checkpoint("sink-test", "generator", 0, "", 41, -1, 0),
                new Checkpoint("sink-test", "generator", 3, "", 7, 12, 0)), sink.readCheckpoints("sink-test"));
            assertEquals(List.of(), sink.readCheckpoints("another-pipeline"));

            // a poison row: tier becomes NOT NULL, and this event has no tier
            try (Statement s = ((DuckDbSink)sink).connectionForTest().createStatement())
            {
                s.execute("ALTER TABLE cp ALTER COLUMN tier SET NOT NULL");
            }
            event(2, false);
            sink.append(slot, 0);
            event(3, true);
            sink.append(slot, 0);
            final SQLException e = assertThrows(SQLException.class, () -> sink.commit(List.of(
                new Checkpoint("sink-test", "generator", 0, "", 99, -1, 0))));
            assertEquals(Sink.Failure.ROW, sink.classify(e), e.getMessage());
            sink.abort();
            assertEquals(1, countOn(((DuckDbSink)sink).connectionForTest(), "cp"), "neither row of the batch");
            assertEquals(41, sink.readCheckpoints("sink-test").get(0).offset(), "nor its checkpoint");

            event(2, false);
            sink.append(slot, 0);
            sink.commit(List.of(new Checkpoint("sink-test", "generator", 0, "", 99, -1, 0)));
            assertEquals(2, countOn(((DuckDbSink)sink).connectionForTest(), "cp"));
            assertEquals(99, sink.readCheckpoints("sink-test").get(0).offset());
        }
    }

    @Test
    void aTableWithOtherColumnsIsAClearError() throws Exception
    {
        java.nio.file.Files.createDirectories(dir.resolve("db"));
        try (Connection c = read(); Statement s = c.createStatement())
        {
            s.execute("CREATE TABLE other (event_id BIGINT, something VARCHAR)");
        }
        final Sink sink = sink(Map.of("table", "other"));
        final SQLException e = assertThrows(SQLException.class, sink::open);
        assertTrue(e.getMessage().contains("exists with other columns"), e.getMessage());
        sink.close();
    }

    @Test
    void anUnsafeTableNameIsRejectedAtItsOption()
    {
        final ConfigException e = assertThrows(ConfigException.class, () -> sink(Map.of("table", "x; DROP TABLE y")));
        assertTrue(e.getMessage().contains("'table' must be a plain SQL name"), e.getMessage());
    }

    @Test
    void aHundredThousandRowsInOneBatch() throws Exception
    {
        try (Sink sink = sink(Map.of("table", "big")))
        {
            sink.open();
            for (int i = 0; i < 100_000; i++)
            {
                event(i, i % 10 == 0);
                sink.append(slot, 0);
            }
            sink.commit();
        }
        assertEquals(100_000, count("big"));
    }

    private long count(final String table) throws SQLException
    {
        try (Connection c = read())
        {
            return countOn(c, table);
        }
    }

    private static long countOn(final Connection c, final String table) throws SQLException
    {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table))
        {
            rs.next();
            return rs.getLong(1);
        }
    }
}

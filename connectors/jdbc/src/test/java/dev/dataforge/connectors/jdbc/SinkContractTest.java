package dev.dataforge.connectors.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.CheckpointStore;
import dev.dataforge.api.sink.FencedException;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.sink.SinkFactory;
import dev.dataforge.api.source.SourcePartition;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;
import dev.dataforge.codec.JsonTranscoder;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.config.YamlTree;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every transactional SQL sink keeps, run against each real database by a subclass: batches commit,
 * checkpoints commit in the batch's transaction and read back, an aborted batch leaves neither rows nor
 * checkpoint, a poison row is dead-lettered while the rest of its batch commits, and (where the database has
 * connections to kill) a killed connection is retried without loss or duplicates.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class SinkContractTest
{
    @TempDir
    protected Path dir;

    /** @return the sink's {@code type}. */
    protected abstract String type();

    /** @return the sink's config block (YAML flow map entries) for {@code table}, without braces. */
    protected abstract String config(String table);

    /** @return a connection to inspect the database with (closed by the caller). */
    protected abstract Connection inspect() throws SQLException;

    /** @return the SQL that makes a column NOT NULL. */
    protected String notNull(final String table, final String column)
    {
        return "ALTER TABLE " + table + " ALTER COLUMN " + column + " SET NOT NULL";
    }

    /** Ends every session the sink holds, from the outside, as a failover or an admin would; false if impossible. */
    protected boolean killSinkConnections() throws SQLException
    {
        return false;
    }

    private final RecordLayout layout = SbeLayouts.userEvent();

    protected Sink sink(final String table) throws Exception
    {
        return sink(table, layout);
    }

    private Sink sink(final String table, final RecordLayout recordLayout) throws Exception
    {
        final SinkFactory factory = new Connectors().sink(type(), null);
        final ConfigNode block = YamlTree.parse("{" + config(table) + "}", "contract.yaml", System.getenv());
        final ConfigValues values = factory.spec().bind(block, type(), dir);
        return factory.create(new ConnectorContext("contract", recordLayout, values, dir));
    }

    /** @return the type information_schema gives a json field's column (PostgreSQL jsonb, DuckDB JSON). */
    protected String jsonColumnType()
    {
        return "JSON";
    }

    @Test
    void jsonValuesAndLongStringsRoundTripThroughTheDriver() throws Exception
    {
        final RecordLayout docs = RecordLayout.of("docs", List.of(new Field("event_id", FieldType.LONG, 0, 8, 0),
            Field.variable("payload", FieldType.JSON), Field.variable("note", FieldType.STRING)), 0);
        final JsonTranscoder t = new JsonTranscoder(docs, Set.of("event_id"));
        final String[] payloads = {
            "{\"a\": {\"b\": [1, 2.5, true, null, {\"c\": \"caf\\u00e9 \\\"q\\\" \\n\"}]}, \"n\": -7}",
            "[1, [2, [3, []]], {}]", "\"just a string\"", "42", "{\"long\": \"" + "x".repeat(70_000) + "\"}", null};
        final String note = "\u65e5\u672c " + "n".repeat(100_000);
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[1 << 20]);
        final ObjectMapper json = new ObjectMapper();
        try (Sink sink = sink("contract_json", docs))
        {
            sink.open();
            for (int i = 0; i < payloads.length; i++)
            {
                final byte[] in = ("{\"event_id\": " + i + (payloads[i] == null ? "" : ", \"payload\": " + payloads[i]) +
                    ", \"note\": \"" + note + "\"}").getBytes(StandardCharsets.UTF_8);
                assertEquals(JsonTranscoder.OK, t.transcode(in, 0, in.length, slot, 0), t.error());
                sink.append(slot, 0);
            }
            sink.commit(List.of(new Checkpoint("contract", "generator", 0, "", payloads.length - 1, -1, 0)));
        }
        try (Connection c = inspect(); Statement s = c.createStatement())
        {
            try (ResultSet rs = s.executeQuery("SELECT data_type FROM information_schema.columns WHERE " +
                "lower(table_name) = 'contract_json' AND lower(column_name) = 'payload'"))
            {
                assertTrue(rs.next());
                assertEquals(jsonColumnType().toLowerCase(java.util.Locale.ROOT),
                    rs.getString(1).toLowerCase(java.util.Locale.ROOT));
            }
            try (ResultSet rs = s.executeQuery("SELECT event_id, payload, note FROM contract_json ORDER BY event_id"))
            {
                for (int i = 0; i < payloads.length; i++)
                {
                    assertTrue(rs.next());
                    assertEquals(i, rs.getLong(1));
                    final String back = rs.getString(2);
                    if (payloads[i] == null)
                    {
                        assertNull(back);
                    }
                    else
                    {
                        assertEquals(json.readTree(payloads[i]), json.readTree(back), "payload " + i);
                    }
                    assertEquals(note, rs.getString(3));
                }
            }
        }
    }

    private void row(final UnsafeBuffer slot, final long id, final Long user)
    {
        slot.setMemory(0, slot.capacity(), (byte)0);
        for (final Field f : layout.fields())
        {
            f.putNull(slot, 0);
        }
        layout.field("event_id").putLong(slot, 0, id);
        layout.field("event_time").putLong(slot, 0, 1_700_000_000_000_000L + id);
        if (user != null)
        {
            layout.field("user_id").putLong(slot, 0, user);
        }
        layout.field("type").putString(slot, 0, "click".getBytes(StandardCharsets.UTF_8));
        layout.field("amount").putLong(slot, 0, id * 101);
    }

    protected long count(final String table) throws SQLException
    {
        try (Connection c = inspect(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table))
        {
            rs.next();
            return rs.getLong(1);
        }
    }

    protected Set<Long> ids(final String table) throws SQLException
    {
        final Set<Long> ids = new HashSet<>();
        try (Connection c = inspect(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT event_id FROM " + table))
        {
            while (rs.next())
            {
                assertTrue(ids.add(rs.getLong(1)), "duplicate event_id " + rs.getLong(1));
            }
        }
        return ids;
    }

    @Test
    void batchesAndTheirCheckpointsCommitTogetherAndAnAbortedBatchLeavesNeither() throws Exception
    {
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[512]);
        try (Sink sink = sink("contract_rows"))
        {
            sink.open();
            for (int i = 1; i <= 100; i++)
            {
                row(slot, i, (long)i);
                sink.append(slot, 0);
            }
            sink.commit(List.of(new Checkpoint("contract", "generator", 0, "", 99, -1, 0)));
            assertEquals(100, count("contract_rows"));
            assertEquals(List.of(new Checkpoint("contract", "generator", 0, "", 99, -1, 0)), sink.readCheckpoints("contract"));

            for (int i = 101; i <= 150; i++)
            {
                row(slot, i, (long)i);
                sink.append(slot, 0);
            }
            sink.abort();
            assertEquals(100, count("contract_rows"), "the aborted rows");
            assertEquals(99, sink.readCheckpoints("contract").get(0).offset(), "the aborted checkpoint");

            row(slot, 151, 151L);
            sink.append(slot, 0);
            sink.commit(List.of(new Checkpoint("contract", "generator", 0, "", 150, -1, 0),
                new Checkpoint("contract", "generator", 1, "", 3, -1, 0)));
            assertEquals(101, count("contract_rows"));
            assertEquals(2, sink.readCheckpoints("contract").size());
        }
    }

    private RunResult runPipeline(final String table, final long events, final double anonymous) throws Exception
    {
        return runPipeline(table, events, anonymous, "{config: {path: dlq-" + table + ".jsonl}}");
    }

    private RunResult runPipeline(final String table, final long events, final double anonymous,
        final String deadLetter) throws Exception
    {
        final Path file = dir.resolve("contract-" + table + ".yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: contract\n" +
            "  source: {type: generator, config: {seed: 11, events: " + events + ", anonymous_ratio: " + anonymous +
            ", users: 1000}}\n" +
            "  sink:\n" +
            "    type: " + type() + "\n" +
            "    config: {" + config(table) + "}\n" +
            "    batch: {max_events: 500}\n" +
            "    retry: {max_attempts: 8, initial_backoff: 10ms, max_backoff: 200ms}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
            "  dead_letter: " + deadLetter + "\n");
        return new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(System.getenv())
            .load(file)), RunOptions.unbounded()).run();
    }

    /** @return true where two sinks (two instances) can write one table from this test's process. */
    protected boolean twoInstances()
    {
        return true;
    }

    /**
     * A zombie: instance A claims a partition and appends a batch; instance B then claims the same partition (a
     * rebalance moved it while A was stalled); A's commit fails and changes nothing, B's goes in; A claiming it back
     * resumes after B's checkpoint with a newer epoch.
     */
    @Test
    void aZombiesCommitIsFencedAndChangesNothing() throws Exception
    {
        org.junit.jupiter.api.Assumptions.assumeTrue(twoInstances(), "one writer per database here");
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[512]);
        final SourcePartition p = new SourcePartition("events", 0, "topic-id-1");
        try (Sink a = sink("contract_zombie"); Sink b = sink("contract_zombie"))
        {
            a.open();
            b.open();
            try (CheckpointStore storeA = a.checkpointStore(); CheckpointStore storeB = b.checkpointStore())
            {
                final Checkpoint claimA = storeA.claim("contract", List.of(p)).get(0);
                assertEquals(Checkpoint.NONE, claimA.offset(), "a partition with nothing settled yet");
                for (int i = 1; i <= 10; i++)
                {
                    row(slot, i, (long)i);
                    a.append(slot, 0);
                }
                final Checkpoint claimB = storeB.claim("contract", List.of(p)).get(0);
                assertTrue(claimB.epoch() > claimA.epoch(), claimA + " then " + claimB);
                final FencedException fenced = org.junit.jupiter.api.Assertions.assertThrows(FencedException.class,
                    () -> a.commit(List.of(new Checkpoint("contract", p, 9, -1, claimA.epoch()))));
                assertEquals(claimA.epoch(), fenced.fenced().get(0).epoch());
                a.abort();
                assertEquals(0, count("contract_zombie"), "the zombie's batch is not in");
                assertEquals(Checkpoint.NONE, b.readCheckpoints("contract").get(0).offset(), "nor its checkpoint");

                for (int i = 11; i <= 15; i++)
                {
                    row(slot, i, (long)i);
                    b.append(slot, 0);
                }
                b.commit(List.of(new Checkpoint("contract", p, 14, -1, claimB.epoch())));
                assertEquals(Set.of(11L, 12L, 13L, 14L, 15L), ids("contract_zombie"));
                final Checkpoint back = storeA.claim("contract", List.of(p)).get(0);
                assertEquals(14, back.offset());
                assertEquals("topic-id-1", back.sourceId());
                assertTrue(back.epoch() > claimB.epoch());
                for (int i = 16; i <= 17; i++)
                {
                    row(slot, i, (long)i);
                    b.append(slot, 0);
                }
                org.junit.jupiter.api.Assertions.assertThrows(FencedException.class, () ->
                    b.commit(List.of(new Checkpoint("contract", p, 16, -1, claimB.epoch()))));
                b.abort();
                assertEquals(5, count("contract_zombie"));
            }
        }
    }

    /**
     * {@code dead_letter: {type: sink}}: the rejected events land in a table of the same database, in the
     * transaction of their batch, so the dead letters and the events commit together, once.
     */
    @Test
    void deadLettersGoToATableInTheBatchsTransaction() throws Exception
    {
        final String table = "contract_poison_table";
        try (Sink sink = sink(table))
        {
            sink.open();
        }
        try (Connection c = inspect(); Statement s = c.createStatement())
        {
            s.execute(notNull(table, "user_id"));
        }
        final RunResult r = runPipeline(table, 5000, 0.01, "{type: sink, config: {table: contract_dead}}");
        assertNull(r.error());
        assertTrue(r.countsAddUp(), r.toString());
        // Snowflake folds unquoted names to upper case
        assertTrue(r.deadLetterQueue().toLowerCase(Locale.ROOT).contains("contract_dead"),
            r.deadLetterQueue());
        assertTrue(r.deadLetters() > 10 && r.deadLetters() < 150, "about 1% anonymous events: " + r);
        assertEquals(5000 - r.deadLetters(), count(table));
        try (Connection c = inspect(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT source_offset), min(stage), max(stage), " +
                "min(reason) FROM contract_dead"))
        {
            rs.next();
            assertEquals(r.deadLetters(), rs.getLong(1), "every dead letter once");
            assertEquals(r.deadLetters(), rs.getLong(2));
            assertEquals("sink", rs.getString(3));
            assertEquals("sink", rs.getString(4));
            assertTrue(rs.getString(5).startsWith("rejected by the sink: "), rs.getString(5));
        }
    }

    @Test
    void aPoisonRowIsDeadLetteredWhileTheRestOfItsBatchCommits() throws Exception
    {
        try (Sink sink = sink("contract_poison"))
        {
            sink.open(); // creates the table
        }
        try (Connection c = inspect(); Statement s = c.createStatement())
        {
            s.execute(notNull("contract_poison", "user_id"));
        }
        final RunResult r = runPipeline("contract_poison", 5000, 0.01);
        assertNull(r.error());
        assertTrue(r.countsAddUp(), r.toString());
        final List<String> dead = Files.readAllLines(dir.resolve("dlq-contract_poison.jsonl"));
        assertTrue(dead.size() > 10 && dead.size() < 150, "about 1% anonymous events: " + dead.size());
        assertEquals(r.deadLetters(), dead.size());
        assertEquals(5000 - dead.size(), count("contract_poison"));
        for (final String line : dead)
        {
            final JsonNode entry = new ObjectMapper().readTree(line);
            assertEquals("sink", entry.get("stage").asText());
            assertTrue(entry.get("event").get("user_id").isNull(), line);
            assertTrue(entry.get("reason").asText().startsWith("rejected by the sink: "), line);
        }
        try (Sink sink = sink("contract_poison"))
        {
            sink.open();
            assertEquals(4999, sink.readCheckpoints("contract").get(0).offset());
        }
    }

    @Test
    void aKilledConnectionIsRetriedWithoutLossOrDuplicates() throws Exception
    {
        org.junit.jupiter.api.Assumptions.assumeTrue(supportsKill(), "this database has no connections to kill");
        final String table = "contract_killed";
        final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicInteger kills = new java.util.concurrent.atomic.AtomicInteger();
        final Thread killer = new Thread(() ->
        {
            try
            {
                // once rows are flowing, kill the sink's session three times
                while (!done.get() && kills.get() < 3)
                {
                    if (tableHasRows(table) && killSinkConnections())
                    {
                        kills.incrementAndGet();
                        Thread.sleep(100);
                    }
                    Thread.sleep(5);
                }
            }
            catch (final Exception ignored)
            {
                // the run may end first: the assertions below still hold
            }
        });
        killer.setDaemon(true);
        killer.start();
        final RunResult r;
        try
        {
            r = runPipeline(table, 200_000, 0);
        }
        finally
        {
            done.set(true);
            killer.join();
        }
        assertNull(r.error(), String.valueOf(r.error()));
        assertTrue(kills.get() > 0, "the test killed no connection");
        assertEquals(200_000, r.delivered());
        final Set<Long> ids = ids(table);
        assertEquals(200_000, ids.size());
        try (Sink sink = sink(table))
        {
            sink.open();
            assertEquals(199_999, sink.readCheckpoints("contract").get(0).offset());
        }
    }

    private boolean tableHasRows(final String table)
    {
        try
        {
            return count(table) > 0;
        }
        catch (final SQLException notYet)
        {
            return false;
        }
    }

    /** @return true when {@link #killSinkConnections()} can work once the sink is connected. */
    protected boolean supportsKill()
    {
        return false;
    }
}

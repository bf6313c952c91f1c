package dev.dataforge.connectors.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dataforge.core.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several sinks with routes, through the command line into real DuckDB files: each sink receives exactly the events
 * its routes select (DuckDB's own {@code WHERE} over an unrouted copy of the stream decides which those are), once
 * each, and its counts add up on their own. A sink that was behind (added to the pipeline later) catches up from
 * its own checkpoint while the others skip what they hold, so a restart delivers nothing twice.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RoutedSinksTest
{
    private static final String SOURCE = "  source: {type: generator, config: {seed: 11, rate: 0, users: 500, " +
        "types: {view: 55, click: 30, purchase: 10, signup: 5}}}\n";

    @TempDir
    Path dir;

    private String duckdb(final String name, final String table)
    {
        return "    " + name + ":\n" +
            "      type: duckdb\n" +
            "      config: {path: " + dir.resolve(name + ".duckdb") + ", table: " + table + "}\n" +
            "      batch: {max_events: 5000}\n";
    }

    private JsonNode run(final String yaml, final long events) throws Exception
    {
        final Path file = dir.resolve("p.yaml");
        Files.writeString(file, yaml + "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        return PipelineRuns.run(file, dir.resolve("s.json"), events);
    }

    private long query(final String sink, final String sql) throws Exception
    {
        return PipelineRuns.duckLong(dir.resolve(sink + ".duckdb"), sql);
    }

    /** @return the ids of {@code table} in {@code sink}'s file, as a DuckDB list literal's text, sorted. */
    private String ids(final String sink, final String table, final String where) throws Exception
    {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(sink + ".duckdb"));
            Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT string_agg(event_id::VARCHAR, ',' ORDER BY event_id) FROM " +
                table + " WHERE " + where))
        {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void eachSinkReceivesExactlyWhatItsRoutesSelect() throws Exception
    {
        // the oracle's data: the same seeded stream, unrouted, into one table
        run("pipeline:\n  name: copy\n" + SOURCE + "  transforms:\n    - type: filter\n" +
            "      condition: event.type <> 'signup'\n  sinks:\n" + duckdb("all", "all_events"), 60_000);

        final JsonNode s = run("pipeline:\n" +
            "  name: routed\n" +
            SOURCE +
            "  transforms:\n" +
            "    - type: filter\n" +
            "      condition: event.type <> 'signup'\n" +
            "    - type: route\n" +
            "      routes:\n" +
            "        - when: event.type = 'purchase'\n" +
            "          to: [warehouse, archive]\n" +
            "        - when: event.type = 'click' AND event.user_id < 150\n" +
            "          to: archive\n" +
            "        - when: event.user_id >= 250\n" +
            "          to: [rest]\n" +
            "      default: [rest]\n" +
            "  sinks:\n" +
            duckdb("warehouse", "purchases") +
            duckdb("archive", "archived") +
            duckdb("rest", "others"), 60_000);

        assertEquals(60_000, s.get("events_in").asLong());
        final JsonNode sinks = s.get("sinks");
        assertEquals(3, sinks.size(), s.toString());
        for (final JsonNode n : sinks)
        {
            assertEquals(60_000, n.get("in").asLong(), n.toString());
            assertEquals(n.get("in").asLong(), n.get("delivered").asLong() + n.get("filtered").asLong() +
                n.get("dead_letters").asLong() + n.get("revoked").asLong() + n.get("skipped").asLong(),
                "counts add up per sink: " + n);
        }
        final long all = query("all", "SELECT count(*) FROM all_events");
        assertTrue(all > 55_000, "about 95% of 60,000 are not signups: " + all);

        // DuckDB's WHERE over the unrouted copy decides; a NULL user_id makes a condition NULL, which no route takes
        assertEquals(ids("all", "all_events", "type = 'purchase'"), ids("warehouse", "purchases", "true"),
            "warehouse: exactly the purchases");
        assertEquals(ids("all", "all_events", "type = 'purchase' OR (type = 'click' AND user_id < 150)"),
            ids("archive", "archived", "true"), "archive: the purchases and the clicks of users below 150");
        assertEquals(ids("all", "all_events", "coalesce(user_id >= 250, false) OR " +
            "NOT coalesce(type = 'purchase' OR (type = 'click' AND user_id < 150), false)"),
            ids("rest", "others", "true"), "rest: users from 250 on, and by default whatever no route took");
        for (final String[] t : new String[][] {{"warehouse", "purchases"}, {"archive", "archived"},
            {"rest", "others"}})
        {
            assertEquals(query(t[0], "SELECT count(*) FROM " + t[1]), sinks.get(t[0]).get("delivered").asLong(),
                t[0]);
            assertEquals(query(t[0], "SELECT count(DISTINCT event_id) FROM " + t[1]),
                sinks.get(t[0]).get("delivered").asLong(), t[0] + ": no duplicates");
            assertEquals(59_999, query(t[0], "SELECT last_offset FROM dataforge_checkpoints WHERE pipeline = " +
                "'routed/" + t[0] + "'"), t[0] + " checkpoints every event it settled, routed elsewhere or not");
        }
    }

    @Test
    void aSinkBehindCatchesUpFromItsOwnCheckpointAndTheOthersSkipWhatTheyHold() throws Exception
    {
        final String both = "pipeline:\n  name: behind\n" + SOURCE + "  sinks:\n" + duckdb("a", "events") +
            duckdb("b", "events");
        final String onlyA = "pipeline:\n  name: behind\n" + SOURCE + "  sinks:\n" + duckdb("a", "events");

        run(both, 20_000);           // a and b: 0 .. 19,999
        run(onlyA, 15_000);          // a alone: 20,000 .. 34,999; b is 15,000 behind
        final JsonNode s = run(both, 30_000); // resumes after b's checkpoint: 30,000 events from 20,000

        assertEquals(15_000, s.get("sinks").get("a").get("skipped").asLong(), "a had 20,000 .. 34,999: " + s);
        assertEquals(15_000, s.get("sinks").get("a").get("delivered").asLong(), s.toString());
        assertEquals(0, s.get("sinks").get("b").get("skipped").asLong(), s.toString());
        assertEquals(30_000, s.get("sinks").get("b").get("delivered").asLong(), s.toString());
        for (final String sink : new String[] {"a", "b"})
        {
            assertEquals(50_000, query(sink, "SELECT count(*) FROM events"), sink);
            assertEquals(50_000, query(sink, "SELECT count(DISTINCT event_id) FROM events"), sink + ": no duplicates");
            assertEquals(50_000, query(sink, "SELECT max(event_id) FROM events"), sink + ": ids are offsets + 1");
            assertEquals(49_999, query(sink, "SELECT last_offset FROM dataforge_checkpoints WHERE pipeline = " +
                "'behind/" + sink + "'"), sink);
        }
    }

    @Test
    void twoSinksNeverShareADeadLetterFile() throws Exception
    {
        final Path file = dir.resolve("shared.yaml");
        Files.writeString(file, "pipeline:\n  name: shared\n" + SOURCE + "  sinks:\n" + duckdb("a", "events") +
            duckdb("b", "events") + "  dead_letter: {config: {path: " + dir.resolve("dlq.jsonl") + "}}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        final StringWriter err = new StringWriter();
        final int status = Main.execute(new String[] {"run", file.toString(), "--events", "10"},
            new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(Main.BAD_INPUT, status, err.toString());
        assertTrue(err.toString().contains("sinks 'a' and 'b' would write their dead letters to one queue"),
            err.toString());
        assertTrue(!Files.exists(dir.resolve("a.duckdb")) || query("a", "SELECT count(*) FROM events") == 0,
            "nothing ran");
    }
}

package dev.dataforge.connectors.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.core.cli.Main;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.metrics.PipelineMetrics;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import dev.dataforge.journal.ChronicleJournal;
import dev.dataforge.journal.Journal;
import dev.dataforge.journal.JournalReader;
import dev.dataforge.journal.JournalSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pipelines with the journal on, through real DuckDB files and a real PostgreSQL: a sink that is down for a minute
 * holds back neither the source nor the other sink and then catches up; a sink behind is re-delivered from the
 * journal (the source is not read again); a torn journal tail is cut without losing what a sink committed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JournalPipelineTest
{
    private static final String SOURCE = "  source: {type: generator, config: {seed: 13, rate: 0, users: 500}}\n";
    private static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

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

    private String duckdb(final String name)
    {
        return "    " + name + ":\n" +
            "      type: duckdb\n" +
            "      config: {path: " + dir.resolve(name + ".duckdb") + ", table: events}\n" +
            "      batch: {max_events: 5000}\n";
    }

    private String journal()
    {
        return "  journal: {enabled: true, path: " + dir.resolve("journal") + "}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n";
    }

    private JsonNode run(final String yaml, final long events) throws Exception
    {
        final Path file = dir.resolve("p.yaml");
        Files.writeString(file, yaml);
        return PipelineRuns.run(file, dir.resolve("s.json"), events);
    }

    /** @return {@code journal stats} of the test's journal, through the CLI. */
    private JsonNode journalStats() throws Exception
    {
        final StringWriter out = new StringWriter();
        assertEquals(0, Main.execute(new String[] {"journal", "stats", dir.resolve("journal").toString()},
            new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)));
        return new ObjectMapper().readTree(out.toString());
    }

    private long duck(final String sink, final String sql) throws Exception
    {
        return PipelineRuns.duckLong(dir.resolve(sink + ".duckdb"), sql);
    }

    private static long pg(final String sql) throws Exception
    {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
            ResultSet rs = st.executeQuery(sql))
        {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Each sink holds every one of {@code n} events once: ids 1 .. n. */
    private void exact(final String sink, final long n) throws Exception
    {
        assertEquals(n, duck(sink, "SELECT count(*) FROM events"), sink);
        assertEquals(n, duck(sink, "SELECT count(DISTINCT event_id) FROM events"), sink + ": no duplicates");
        assertEquals(n, duck(sink, "SELECT max(event_id) FROM events"), sink + ": none missing");
    }

    @Test
    void aSinkBehindIsReDeliveredFromTheJournalNotFromTheSource() throws Exception
    {
        final String both = "pipeline:\n  name: behind\n" + SOURCE + "  sinks:\n" + duckdb("a") + duckdb("b") +
            journal();
        final String onlyA = "pipeline:\n  name: behind\n" + SOURCE + "  sinks:\n" + duckdb("a") + journal();

        run(both, 20_000);                     // a and b: 0 .. 19,999
        run(onlyA, 15_000);                    // a alone: 20,000 .. 34,999, journaled; b is 15,000 behind
        final JsonNode st = journalStats();
        assertEquals(0, st.get("sinks").get("a").get("lag").asLong(), st.toString());
        final JsonNode s = run(both, 30_000);  // b catches up from the journal; the source resumes at 35,000

        assertEquals(30_000, s.get("events_in").asLong(), s.toString());
        assertEquals(30_000, s.get("sinks").get("a").get("delivered").asLong(), s.toString());
        assertEquals(45_000, s.get("sinks").get("b").get("delivered").asLong(), "b: 15,000 from the journal and " +
            "the 30,000 new: " + s);
        exact("a", 65_000);
        exact("b", 65_000);
    }

    @Test
    void aTornJournalTailIsCutAndNothingASinkCommittedIsLost() throws Exception
    {
        final String both = "pipeline:\n  name: torn\n" + SOURCE + "  sinks:\n" + duckdb("a") + duckdb("b") +
            journal();
        final String onlyA = "pipeline:\n  name: torn\n" + SOURCE + "  sinks:\n" + duckdb("a") + journal();
        run(both, 10_000);
        run(onlyA, 20_000);                    // b is 20,000 behind; the journal holds them
        final Path last;
        try (Stream<Path> files = Files.list(dir.resolve("journal")))
        {
            last = files.filter(f -> f.toString().endsWith(".cq4")).max(Comparator.naturalOrder()).orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(last);
        int end = bytes.length; // a cycle file is preallocated: its data ends where the zeros start
        while (end > 0 && bytes[end - 1] == 0)
        {
            end--;
        }
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw"))
        {
            f.setLength(end * 3L / 4); // by hand, in the middle of an entry, as a crash or a full disk leaves it
        }
        final JsonNode s = run(both, 10_000);
        // whatever the cut took of what b lacked, the source reads again: both sinks end exact and complete
        final long total = duck("a", "SELECT max(event_id) FROM events");
        assertTrue(total > 30_000, "the source went on from the cut: " + total + " " + s);
        exact("a", total);
        exact("b", total);
    }

    /** A range of the journal, replayed into a fresh DuckDB file through another pipeline's sink: exactly it. */
    @Test
    void aReplayedRangeLandsInAFreshFileExactlyOnce() throws Exception
    {
        run("pipeline:\n  name: replayed\n" + SOURCE + "  sinks:\n" + duckdb("a") + journal(), 20_000);
        final long[] range = new long[2];
        try (Journal journal = ChronicleJournal.open(JournalSettings.of(dir.resolve("journal")));
            JournalReader reader = journal.reader(Journal.NULL_INDEX))
        {
            while (reader.read((index, header, buffer, offset, length) ->
            {
                if (header.sourceOffset == 5_000)
                {
                    range[0] = index;
                }
                if (header.sourceOffset == 9_999)
                {
                    range[1] = index;
                }
            }, 4096) > 0)
            {
                // reading
            }
        }
        final Path other = dir.resolve("other.yaml");
        Files.writeString(other, "pipeline:\n  name: other\n" + SOURCE + "  sink:\n    type: duckdb\n" +
            "    config: {path: " + dir.resolve("fresh.duckdb") + ", table: events}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        for (int i = 0; i < 2; i++) // the second replay finds its checkpoint: nothing twice
        {
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final int status = Main.execute(new String[] {"replay", dir.resolve("p.yaml").toString(), "--sink", "a",
                "--from", Long.toString(range[0]), "--to", Long.toString(range[1]), "--into", other.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
            assertEquals(0, status, out + "\n" + err);
            assertEquals(5_000, duck("fresh", "SELECT count(*) FROM events"), "replay " + i + ": " + out);
            assertEquals(5_000, duck("fresh", "SELECT count(DISTINCT event_id) FROM events"));
            assertEquals(5_001, duck("fresh", "SELECT min(event_id) FROM events"));
            assertEquals(10_000, duck("fresh", "SELECT max(event_id) FROM events"));
        }
        final StringWriter out = new StringWriter();
        assertEquals(0, Main.execute(new String[] {"journal", "inspect", dir.resolve("journal").toString(), "--after",
            Long.toString(range[0] - 1), "--limit", "1", "--pipeline", dir.resolve("p.yaml").toString()},
            new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)));
        final JsonNode entry = new ObjectMapper().readTree(out.toString().trim());
        assertEquals(range[0], entry.get("index").asLong(), out.toString());
        assertEquals(5_000, entry.get("offset").asLong(), out.toString());
        assertEquals(5_001, entry.get("event").get("event_id").asLong(), out.toString());
        final JsonNode st = journalStats();
        assertEquals(20_000, st.get("entries").asLong(), st.toString());
        assertEquals(st.get("last_index").asLong(), st.get("sinks").get("a").get("settled").asLong(), st.toString());
        assertEquals(0, st.get("sinks").get("a").get("lag").asLong(), st.toString());
    }

    /**
     * Two sinks, PostgreSQL behind a forwarder that is taken down for 60 seconds: DuckDB keeps delivering and the
     * source keeps reading all along; PostgreSQL catches up from the journal when it is back; both exact.
     */
    @Test
    void aSinkDownForAMinuteHoldsBackNeitherTheSourceNorTheOtherSink() throws Exception
    {
        final int port = Integer.parseInt(postgres.getJdbcUrl("postgres", "postgres").replaceAll(".*:(\\d+)/.*",
            "$1"));
        final long events = 200_000;
        try (Outage outage = new Outage(port))
        {
            final Path file = dir.resolve("outage.yaml");
            Files.writeString(file, "pipeline:\n  name: outage\n" +
                "  source: {type: generator, config: {seed: 17, rate: 2000, users: 500, events: " + events + "}}\n" +
                "  sinks:\n" + duckdb("lake") +
                "    pg:\n" +
                "      type: postgres\n" +
                "      config: {url: 'jdbc:postgresql://127.0.0.1:" + outage.port() + "/postgres', user: postgres, " +
                "table: outage_events}\n" +
                "      batch: {max_events: 2000}\n" +
                "      retry: {max_attempts: 100000, initial_backoff: 20ms, max_backoff: 500ms}\n" +
                journal());
            final Pipeline pipeline = new Pipeline(new PipelinePlanner(new Connectors()).plan(
                new PipelineConfigLoader(System.getenv()).load(file)), RunOptions.unbounded());
            final CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return pipeline.run();
                }
                catch (final Exception e)
                {
                    throw new IllegalStateException(e);
                }
            });
            final PipelineMetrics m = pipeline.metrics();
            final LongSupplier lake = () -> sink(m, "lake").stage().out().get();
            final LongSupplier pg = () -> sink(m, "pg").stage().out().get();
            waitFor(() -> pg.getAsLong() >= 10_000, "PostgreSQL delivering");

            outage.down();
            final long downAt = System.nanoTime();
            waitFor(() -> sink(m, "pg").retries().get() > 0 || System.nanoTime() - downAt > 5_000_000_000L,
                "the sink noticing");
            final long pgDown = pg.getAsLong();
            final long lakeDown = lake.getAsLong();
            final long inDown = m.eventsIn();
            while (System.nanoTime() - downAt < 60_000_000_000L) // the outage: a minute by the clock
            {
                assertTrue(!run.isDone(), "the pipeline runs on");
                Thread.sleep(500);
            }
            final long pgUp = pg.getAsLong();
            final long lakeUp = lake.getAsLong();
            final long inUp = m.eventsIn();
            final JsonNode st = journalStats(); // read-only, beside the running pipeline
            outage.up();
            assertTrue(st.get("sinks").get("pg").get("lag").asLong() > 60_000, "PostgreSQL a minute behind: " + st);
            assertTrue(st.get("sinks").get("lake").get("lag").asLong() < 20_000, "DuckDB keeping up: " + st);

            final RunResult r = run.get(240, TimeUnit.SECONDS);
            assertNull(r.error(), String.valueOf(r.error()));
            assertEquals(pgDown, pgUp, "PostgreSQL delivered nothing while it was down");
            assertTrue(inUp - inDown > 60_000, "the source kept reading (2,000/s for 60 s): " + (inUp - inDown));
            assertTrue(lakeUp - lakeDown > 60_000, "DuckDB kept delivering: " + (lakeUp - lakeDown));
            exact("lake", events);
            assertEquals(events, pg("SELECT count(*) FROM outage_events"));
            assertEquals(events, pg("SELECT count(DISTINCT event_id) FROM outage_events"), "no duplicates");
            assertEquals(events, pg("SELECT max(event_id) FROM outage_events"));
        }
    }

    private static dev.dataforge.core.metrics.SinkMetrics sink(final PipelineMetrics m, final String name)
    {
        for (final dev.dataforge.core.metrics.SinkMetrics s : m.sinks())
        {
            if (s.name().equals(name))
            {
                return s;
            }
        }
        throw new AssertionError("no sink " + name + " in " + m.sinkNames());
    }

    private static void waitFor(final java.util.function.BooleanSupplier condition, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }
}

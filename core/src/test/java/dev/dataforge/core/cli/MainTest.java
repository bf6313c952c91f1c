package dev.dataforge.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MainTest
{
    @TempDir
    Path dir;

    record Outcome(int status, String out, String err)
    {
    }

    static Outcome run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(status, out.toString(), err.toString());
    }

    private Path pipeline(final String transforms, final String sink) throws Exception
    {
        final Path file = dir.resolve("p.yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: cli-test\n" +
            "  source:\n" +
            "    type: generator\n" +
            "    config: {seed: 9}\n" +
            "  transforms:\n" + transforms +
            "  sink:\n" + sink +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        return file;
    }

    @Test
    void runWritesASummaryWhoseCountsAddUp() throws Exception
    {
        final Path file = pipeline("    - type: filter\n      condition: event.type IN ('click', 'purchase')\n",
            "    type: blackhole\n");
        final Path summary = dir.resolve("s.json");
        final Outcome o = run("run", file.toString(), "--events", "100000", "--summary", summary.toString());
        assertEquals(0, o.status(), o.err());
        final JsonNode s = new ObjectMapper().readTree(summary.toFile());
        assertEquals("cli-test", s.get("pipeline").asText());
        assertEquals(100000, s.get("events_in").asLong());
        assertEquals(s.get("events_in").asLong(),
            s.get("delivered").asLong() + s.get("filtered").asLong() + s.get("dead_letters").asLong());
        assertTrue(s.get("filtered").asLong() > 0);
        for (final String field : new String[] {"elapsed_s", "throughput_eps"})
        {
            assertTrue(s.get(field).asDouble() > 0, field);
        }
        for (final String p : new String[] {"p50", "p99", "p999", "max"})
        {
            assertTrue(s.get("latency_us").get(p).asDouble() > 0, p);
        }
        assertTrue(s.get("latency_us").get("p50").asDouble() <= s.get("latency_us").get("max").asDouble());
    }

    @Test
    void validatePrintsThePlan() throws Exception
    {
        final Path file = pipeline("    - type: filter\n      condition: event.amount > 10\n", "    type: blackhole\n");
        final Outcome o = run("validate", file.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("filter.1 where event.amount > 10"), o.out());
        assertTrue(o.out().contains("  fields: event_id long, event_time timestamp, user_id long, session_id long, " +
            "type string(16), page string(64), amount decimal(2), currency string(3)\n"), o.out());
    }

    @Test
    void aBadExpressionIsReportedAtItsColumnWithStatus2AndNoStackTrace() throws Exception
    {
        final Path file = pipeline("    - type: filter\n      condition: event.typo = 'x'\n", "    type: blackhole\n");
        final Outcome o = run("validate", file.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().startsWith(file + ":8:24: "), o.err());
        assertTrue(o.err().contains("typo"), o.err());
        assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
    }

    @Test
    void badCommandLinesExitWith2()
    {
        final Outcome unknown = run("run", "x.yaml", "--evnts", "5");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("--evnts"), unknown.err());
        final Outcome badDuration = run("run", "x.yaml", "--duration", "soon");
        assertEquals(2, badDuration.status());
        assertTrue(badDuration.err().contains("--duration must be a duration"), badDuration.err());
        final Outcome missing = run("validate", dir.resolve("nope.yaml").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("nope.yaml"), missing.err());
    }

    @Test
    void helpListsTheCommands()
    {
        final Outcome o = run("--help");
        assertEquals(0, o.status());
        assertTrue(o.out().contains("run") && o.out().contains("validate"), o.out());
        final Outcome r = run("run", "--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("--summary"), r.out());
    }
}

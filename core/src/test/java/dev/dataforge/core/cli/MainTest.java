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
    void anUnknownLogFormatIsBadInputAndJsonLogsAreLinesOfJson() throws Exception
    {
        final Path file = pipeline("", "    type: blackhole\n");
        final Outcome bad = run("run", file.toString(), "--events", "10", "--log-format", "xml");
        assertEquals(Main.BAD_INPUT, bad.status(), bad.err());
        assertTrue(bad.err().contains("--log-format: log format 'xml' is not one of text, json"), bad.err());

        final java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        dev.dataforge.core.logging.Log.console(new java.io.PrintStream(console, true,
            java.nio.charset.StandardCharsets.UTF_8));
        final Outcome ok;
        try
        {
            ok = run("run", file.toString(), "--events", "1000", "--log-format", "json", "--library-log",
                dir.resolve("libs.log").toString());
        }
        finally
        {
            dev.dataforge.core.logging.Log.reset();
        }
        final String[] lines = console.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n");
        assertTrue(lines.length > 0 && !lines[0].isEmpty(), "the run logged nothing");
        for (final String line : lines)
        {
            final JsonNode o = new ObjectMapper().readTree(line);
            assertTrue(o.has("time") && o.has("level") && o.has("logger") && o.has("message"), line);
        }
        assertEquals(0, ok.status(), ok.err());
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

    @Test
    void deadLettersOfAnyQueueAreReadThroughItsConnector() throws Exception
    {
        // a dead letter per 10th event: an enrich miss with on_miss: dead_letter
        Files.writeString(dir.resolve("users.csv"), "user_id,tier\n" + java.util.stream.IntStream.rangeClosed(1,
            10_000).filter(i -> i % 10 != 0).mapToObj(i -> i + ",t\n").reduce("", String::concat));
        final Path file = dir.resolve("dl.yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: dl-test\n" +
            "  mode: batch\n" +
            "  source: {type: generator, config: {seed: 9, events: 2000}}\n" +
            "  transforms:\n" +
            "    - {type: enrich, lookup: users, key: event.user_id, on_miss: dead_letter}\n" +
            "  sink: {type: blackhole}\n" +
            "  lookups: {users: {type: file, config: {path: users.csv, key: user_id}}}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
            "  dead_letter: {type: file, config: {path: dead.jsonl, fsync: true}}\n");
        final Path summary = dir.resolve("s.json");
        final Outcome ran = run("run", file.toString(), "--summary", summary.toString());
        assertEquals(0, ran.status(), ran.err());
        final long dead = new ObjectMapper().readTree(summary.toFile()).get("dead_letters").asLong();
        assertTrue(dead > 100 && dead < 400, "about a tenth of 2000 dead-lettered: " + dead);

        final String path = dir.resolve("dead.jsonl").toString();
        final Outcome byFile = run("dead-letters", "count", path);
        assertEquals(0, byFile.status(), byFile.err());
        assertEquals(dead + " entries {enrich.1=" + dead + "}", byFile.out().trim());
        final Outcome byType = run("dead-letters", "count", "--queue", "file", "-o", "path=" + path);
        assertEquals(byFile.out(), byType.out(), byType.err());
        final Outcome shown = run("dead-letters", "show", path, "--entry", "2");
        assertEquals(0, shown.status(), shown.err());
        final JsonNode entry = new ObjectMapper().readTree(shown.out());
        assertEquals("dl-test", entry.get("pipeline").asText());
        assertTrue(entry.get("reason").asText().startsWith("no row in lookup 'users'"), shown.out());
        assertEquals(0, entry.get("event").get("user_id").asLong() % 10, shown.out());

        final Outcome none = run("dead-letters", "count", dir.resolve("none.jsonl").toString());
        assertEquals(2, none.status());
        assertTrue(none.err().contains("none.jsonl: no such dead-letter file"), none.err());
        final Outcome unknownType = run("dead-letters", "count", "--queue", "s3");
        assertEquals(2, unknownType.status());
        assertTrue(unknownType.err().contains("unknown dead_letter type 's3'"), unknownType.err());
        final Outcome badOption = run("dead-letters", "count", "--queue", "file", "-o", "pth=x");
        assertEquals(2, badOption.status());
        assertTrue(badOption.err().contains("unknown key 'pth'; did you mean 'path'?"), badOption.err());
    }

    @Test
    void connectorsDocumentsTheDeadLetterQueuesToo()
    {
        final Outcome o = run("connectors");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("### dead-letter queue `file`"), o.out());
        assertTrue(o.out().contains("| `fsync` | boolean | `false` |"), o.out());
    }
}

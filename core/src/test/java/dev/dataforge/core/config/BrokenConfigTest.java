package dev.dataforge.core.config;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.core.cli.Main;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken pipeline files, each loaded through the whole path a user's file takes (YAML, model, connector specs,
 * expressions, lookups): the error must name the right line and column and say what is wrong.
 */
class BrokenConfigTest
{
    private static final Map<String, String> ENV = Map.of("KAFKA_BROKERS", "localhost:9092", "EMPTY", "");

    @TempDir
    Path dir;

    /** A valid pipeline; cases replace one line (by its text) or append lines. */
    private static final String VALID = String.join("\n",
        "pipeline:",                                        // 1
        "  name: broken",                                   // 2
        "  source:",                                        // 3
        "    type: generator",                              // 4
        "    config:",                                      // 5
        "      seed: 1",                                    // 6
        "  transforms:",                                    // 7
        "    - type: filter",                               // 8
        "      condition: event.type = 'click'",            // 9
        "    - type: enrich",                               // 10
        "      lookup: profiles",                           // 11
        "      key: event.user_id",                         // 12
        "  sink:",                                          // 13
        "    type: blackhole",                              // 14
        "  lookups:",                                       // 15
        "    profiles:",                                    // 16
        "      type: file",                                 // 17
        "      config: {path: profiles.csv, key: user_id}", // 18
        "");

    static Stream<Arguments> cases()
    {
        return Stream.of(
            bad("unknown top-level key", "pipeline:", "pipline:", 1, 1,
                "unknown key 'pipline' in the file; did you mean 'pipeline'?"),
            bad("unknown pipeline key", "  transforms:", "  trnasforms:", 7, 3,
                "unknown key 'trnasforms' in pipeline; did you mean 'transforms'?"),
            bad("unknown connector option", "      seed: 1", "      sed: 1", 6, 7,
                "source 'generator': unknown key 'sed'; did you mean 'seed'?"),
            bad("connector option of the wrong type", "      seed: 1", "      rate: fast", 6, 13,
                "source 'generator': 'rate' must be an integer, not 'fast'"),
            bad("list where a map is expected", "  source:\n    type: generator\n    config:\n      seed: 1",
                "  source: [generator]", 3, 11, "'source' must be a map, not a list"),
            bad("missing sink", "  sink:\n    type: blackhole", "", 2, 3, // where the pipeline map starts
                "pipeline is missing required key 'sink'"),
            bad("missing name", "  name: broken", "", 2, 3, "pipeline is missing required key 'name'"),
            bad("filter without condition", "      condition: event.type = 'click'", "", 8, 7,
                "filter is missing required key 'condition'"),
            bad("enrich without key", "      key: event.user_id", "", 10, 7, "enrich is missing required key 'key'"),
            bad("undefined variable", "      seed: 1", "      seed: ${SEED}", 6, 13,
                "environment variable SEED is not set (use ${SEED:-default} to give a default)"),
            bad("undefined variable inside a value", "  name: broken", "  name: broken-${REGION}-x", 2, 16,
                "environment variable REGION is not set"),
            bad("ring size not a power of two", "  lookups:", "  runtime: {ring_size: 1000}\n  lookups:", 15, 24,
                "runtime 'ring_size' must be a power of two (such as 16384), not 1000"),
            bad("ring size not a number", "  lookups:", "  runtime:\n    ring_size: lots\n  lookups:", 16, 16,
                "runtime 'ring_size' must be a whole number, not 'lots'"),
            bad("unknown wait strategy", "  lookups:", "  runtime:\n    wait: busyspin\n  lookups:", 16, 11,
                "runtime 'wait' must be one of backoff, block, busy-spin, sleep, yield, not 'busyspin'; did you " +
                "mean 'busy-spin'?"),
            bad("unknown source type", "    type: generator", "    type: generater", 4, 11,
                "unknown source type 'generater'; did you mean 'generator'?"),
            bad("unknown sink type", "    type: blackhole", "    type: blakhole", 14, 11,
                "unknown sink type 'blakhole'; did you mean 'blackhole'?"),
            bad("undefined lookup", "      lookup: profiles", "      lookup: profile", 11, 15,
                "undefined lookup 'profile'; did you mean 'profiles'?"),
            bad("duplicate key", "      seed: 1", "      seed: 1\n      seed: 2", 7, 7,
                "duplicate key 'seed' (first at line 6)"),
            bad("YAML syntax error", "      seed: 1", "      seed: 1: 2", 6, 14,
                "YAML syntax error: mapping values are not allowed here"),
            bad("bad on_miss", "      key: event.user_id", "      key: event.user_id\n      on_miss: skip", 13, 16,
                "enrich 'on_miss' must be one of dead_letter, drop, pass, not 'skip'"),
            bad("bad duration", "    type: blackhole", "    type: blackhole\n    batch: {linger: soon}", 15, 21,
                "batch 'linger' must be a duration such as 250ms, 5s or 2m, not 'soon'"),
            bad("unknown field in a condition", "      condition: event.type = 'click'",
                "      condition: event.typo = 'click'", 9, 24,
                "filter condition: unknown field 'typo'; did you mean 'type'?"),
            bad("unknown field in a quoted condition", "      condition: event.type = 'click'",
                "      condition: \"event.type = 'click' AND event.amout > 1\"", 9, 50,
                "filter condition: unknown field 'amout'; did you mean 'amount'?"),
            bad("unknown field after '' escapes in a single-quoted condition",
                "      condition: event.type = 'click'",
                "      condition: 'event.type = ''click'' AND event.typo = 1'", 9, 52,
                "filter condition: unknown field 'typo'"),
            bad("unknown field after an escape in a double-quoted condition",
                "      condition: event.type = 'click'",
                "      condition: \"event.page = 'a\\tb' OR event.typo = 1\"", 9, 48,
                "filter condition: unknown field 'typo'"),
            bad("condition parse error", "      condition: event.type = 'click'",
                "      condition: event.type = 'click' AND (event.user_id > 1", 9, 61,
                "filter condition: expected ')' but found the end of the expression"),
            bad("condition type error", "      condition: event.type = 'click'",
                "      condition: event.amount > 'ten'", 9, 31,
                "filter condition: cannot apply '>' to decimal(2) and string"),
            bad("unknown enrich key field", "      key: event.user_id", "      key: event.usr_id", 12, 18,
                "enrich key: unknown field 'usr_id'; did you mean 'user_id'?"),
            bad("enrich select of an unknown column", "      key: event.user_id",
                "      key: event.user_id\n      select: [tier, contry]", 13, 15, "contry"),
            bad("a non-string condition", "      condition: event.type = 'click'",
                "      condition: [event.type]", 9, 18, "filter 'condition' must be an expression, not a list"),
            bad("a journal stage, which is not a thread of its own", "  lookups:",
                "  runtime:\n    stages:\n      journal: {wait: backoff}\n  lookups:", 17, 7,
                "runtime stages: the journal stage runs on the process stage's thread"),
            bad("a journal sync policy that does not exist", "  lookups:",
                "  journal: {enabled: true, sync: always}\n  lookups:", 15, 34, "journal 'sync'"),
            bad("a journal retention smaller than a megabyte", "  lookups:",
                "  journal:\n    retention: {size: 64KiB}\n  lookups:", 16, 23,
                "journal retention 'size' must be at least 1MiB"),
            bad("a journal roll cycle that does not exist", "  lookups:",
                "  journal: {roll_cycle: weekly}\n  lookups:", 15, 25, "journal 'roll_cycle'"),
            bad("a misspelt journal key", "  lookups:",
                "  journal: {enabled: true, retension: {time: 7d}}\n  lookups:", 15, 28, "retension"),
            bad("the source waiting for a signal nothing sends", "  lookups:",
                "  runtime:\n    stages:\n      source: {wait: block}\n  lookups:", 17, 22,
                "stage 'source' 'wait' must be one of backoff, busy-spin, sleep, yield, not 'block'"),
            bad("an unknown mode", "  name: broken", "  name: broken\n  mode: streaming", 3, 9,
                "pipeline 'mode' must be one of batch, real-time, not 'streaming'"),
            bad("the old name of batch.max_events", "    type: blackhole",
                "    type: blackhole\n    batch: {max_rows: 10}", 15, 13,
                "sink batch 'max_rows' is now 'max_events'"),
            bad("dead-letter options outside their config block", "  lookups:",
                "  dead_letter: {type: file, path: x.jsonl}\n  lookups:", 15, 29,
                "unknown key 'path' in dead_letter; a dead-letter queue is a connector like a sink: its options " +
                "go under 'config:'"),
            bad("an unknown dead-letter queue type", "  lookups:", "  dead_letter: {type: fiel}\n  lookups:", 15, 23,
                "unknown dead_letter type 'fiel'; did you mean 'file'?"),
            bad("an unknown dead-letter queue option", "  lookups:",
                "  dead_letter: {config: {paht: x.jsonl}}\n  lookups:", 15, 26,
                "dead_letter 'file': unknown key 'paht'; did you mean 'path'?"),
            bad("both sink and sinks", "  lookups:", "  sinks: {a: {type: blackhole}}\n  lookups:", 15, 3,
                "pipeline has both 'sink' and 'sinks'"),
            bad("a route without named sinks", "      key: event.user_id",
                "      key: event.user_id\n    - type: route\n      routes: [{when: 'true', to: a}]", 13, 7,
                "route needs named sinks: declare them under 'sinks:'"),
            routed("a route to an unknown sink", "          to: [warehouse, archiv]\n      default: archive", 16, 27,
                "route 1 'to': no sink named 'archiv'; did you mean 'archive'? (sinks: warehouse, archive)"),
            routed("a sink no route reaches", "          to: [warehouse]", 19, 14,
                "sink 'archive' is in no route and not in the route's 'default'"),
            routed("a sink named twice in a route", "          to: [warehouse, warehouse]\n      default: archive",
                16, 27, "route 1 'to': sink 'warehouse' is named twice"),
            bad("an empty sinks map", "  sink:\n    type: blackhole", "  sinks: {}", 13, 10,
                "'sinks' is empty"),
            bad("a bad route condition", "      key: event.user_id\n  sink:\n    type: blackhole",
                "      key: event.user_id\n" +
                "    - type: route\n      routes:\n        - when: event.typo = 'x'\n          to: a\n" +
                "  sinks:\n    a: {type: blackhole}", 15, 23, "route 1 'when': unknown field 'typo'"));
    }

    /** A pipeline of two named sinks, warehouse and archive, and a route whose first route's 'to' is {@code to}. */
    private static Arguments routed(final String name, final String to, final int row, final int column,
        final String message)
    {
        final String yaml = VALID.replace("      key: event.user_id\n", "      key: event.user_id\n" +
            "    - type: route\n      routes:\n        - when: event.type = 'purchase'\n" + to + "\n")
            .replace("  sink:\n    type: blackhole\n", "  sinks:\n    warehouse: {type: blackhole}\n" +
                "    archive: {type: blackhole}\n");
        return Arguments.of(name, yaml, row, column, message);
    }

    private static Arguments bad(
        final String name, final String line, final String replacement, final int row, final int column,
        final String message)
    {
        if (!VALID.contains(line))
        {
            throw new IllegalArgumentException(name + ": no line '" + line + "'");
        }
        final String yaml = VALID.replace(line + "\n", replacement.isEmpty() ? "" : replacement + "\n");
        return Arguments.of(name, yaml, row, column, message);
    }

    private Path write(final String yaml) throws Exception
    {
        Files.writeString(dir.resolve("profiles.csv"), "user_id,tier\n1,gold\n2,silver\n");
        final Path file = dir.resolve("broken.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static ConfigException load(final Path file)
    {
        return assertThrows(ConfigException.class, () ->
            new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(ENV).load(file)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsWhatAndWhere(
        final String name, final String yaml, final int line, final int column, final String message) throws Exception
    {
        final Path file = write(yaml);
        final ConfigException e = load(file);
        assertTrue(e.detail().contains(message), name + ": " + e.getMessage());
        assertEquals(file.toString(), e.location().file(), name);
        assertEquals(line + ":" + column, e.location().line() + ":" + e.location().column(),
            name + ": " + e.getMessage());
        assertEquals(file + ":" + line + ":" + column + ": " + e.detail(), e.getMessage());
    }

    @Test
    void theValidBaseLoads() throws Exception
    {
        new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(ENV).load(write(VALID)));
    }

    @Test
    void aDefaultStandsInForAnUnsetOrEmptyVariable() throws Exception
    {
        final PipelineConfig c = new PipelineConfigLoader(ENV).load(write(VALID.replace("  name: broken",
            "  name: ${PIPELINE_NAME:-fallback}-${EMPTY:-x}")));
        assertEquals("fallback-x", c.name());
    }

    @Test
    void aLookupDefinedInlineAndInTheCatalogIsAnErrorInTheCatalog() throws Exception
    {
        final Path file = write(VALID);
        Files.writeString(dir.resolve("lookups.yaml"), "lookups:\n  profiles:\n    type: file\n" +
            "    config: {path: profiles.csv, key: user_id}\n");
        final ConfigException e = load(file);
        assertEquals(dir.resolve("lookups.yaml") + ":2:3", e.location().toString(), e.getMessage());
        assertTrue(e.detail().contains("lookup 'profiles' is defined twice (also at " + file + ":16:5)"),
            e.getMessage());
    }

    @Test
    void aDuplicateKeyInALookupFileNamesTheDataFileAndLine() throws Exception
    {
        final Path file = write(VALID);
        Files.writeString(dir.resolve("profiles.csv"), "user_id,tier\n1,gold\n2,silver\n1,bronze\n");
        final ConfigException e = load(file);
        assertTrue(e.getMessage().contains("profiles.csv:4"), e.getMessage());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void validateExitsWith2AndPrintsOneLineWithoutAStackTrace() throws Exception
    {
        final Path file = write(VALID.replace("  transforms:", "  trnasforms:"));
        final StringWriter err = new StringWriter();
        final int status = Main.execute(new String[] {"validate", file.toString()},
            new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(2, status);
        final String text = err.toString().trim();
        assertTrue(text.startsWith(file + ":7:3: unknown key 'trnasforms'"), text);
        assertFalse(text.contains("\n"), "one line: " + text);
        assertFalse(text.contains("\tat "), text);
    }
}

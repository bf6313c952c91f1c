package dev.dataforge.core.config;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.core.cli.Main;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.pipeline.PipelinePlanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken pipeline files, each loaded and planned the way the CLI does it, and each error checked for the exact line
 * and column the user would look at and for what it says. Expected columns are where a marker text sits in the file,
 * so they describe the file as an editor shows it, not the loader's arithmetic.
 */
class BrokenConfigFilesTest
{
    private static final String USERS_CSV = "user_id,tier,country\n1,gold,DE\n2,silver,FR\n";
    private static final String HEAD = "pipeline:\n  name: t\n  source:\n    type: generator\n";
    private static final String SINK = "  sink:\n    type: blackhole\n";
    private static final String LOOKUPS = "  lookups:\n    users:\n      type: file\n" +
        "      config: {path: users.csv, key: user_id}\n";
    private static final Map<String, String> ENV = Map.of("RATE", "500", "EMPTY", "");

    @TempDir
    Path dir;

    /** A broken file: where the error must point (line, and the column of {@code marker} on it) and what it says. */
    record Case(String name, String yaml, String catalog, String csv, String file, int line, String marker,
        List<String> detail)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    private static Case c(final String name, final String yaml, final int line, final String marker,
        final String... detail)
    {
        return new Case(name, yaml, null, USERS_CSV, "pipeline.yaml", line, marker, List.of(detail));
    }

    static List<Case> cases()
    {
        final List<Case> cases = new ArrayList<>();
        cases.add(c("unknown top-level key", "pipline:\n  name: t\n", 1, "pipline",
            "unknown key 'pipline' in the file", "did you mean 'pipeline'?"));
        cases.add(c("unknown pipeline key", HEAD + "  trnasforms: []\n" + SINK, 5, "trnasforms",
            "unknown key 'trnasforms' in pipeline", "did you mean 'transforms'?"));
        cases.add(c("unknown source config key", HEAD + "    config:\n      sed: 42\n" + SINK, 6, "sed",
            "source 'generator': unknown key 'sed'", "did you mean 'seed'?"));
        cases.add(c("list where source map expected", "pipeline:\n  name: t\n  source:\n    - type: generator\n" +
            SINK, 4, "-", "'source' must be a map, not a list"));
        cases.add(c("ring_size not a number", HEAD + SINK + "  runtime:\n    ring_size: lots\n", 8, "lots",
            "runtime 'ring_size' must be a whole number, not 'lots'"));
        cases.add(c("missing sink", HEAD + "  runtime:\n    ring_size: 1024\n", 2, "name",
            "pipeline is missing required key 'sink'"));
        cases.add(c("missing name", "pipeline:\n  source:\n    type: generator\n" + SINK, 2, "source",
            "pipeline is missing required key 'name'"));
        cases.add(c("filter without condition", HEAD + "  transforms:\n    - type: filter\n" + SINK, 6, "type",
            "filter is missing required key 'condition'"));
        cases.add(c("enrich without key", HEAD + LOOKUPS + "  transforms:\n    - type: enrich\n      lookup: users\n" +
            SINK, 10, "type", "enrich is missing required key 'key'"));
        cases.add(c("undefined env var", "pipeline:\n  name: ${PIPE_NAME}\n" + SINK, 2, "${",
            "environment variable PIPE_NAME is not set", "${PIPE_NAME:-default}"));
        cases.add(c("undefined env var inside a value", HEAD + "  sink:\n    type: file\n    config:\n" +
            "      path: out/${OUT_DIR}/events.jsonl\n", 8, "${", "environment variable OUT_DIR is not set"));
        cases.add(c("undefined env var inside a quoted value", HEAD + "  sink:\n    type: file\n    config:\n" +
            "      path: \"out/${OUT_DIR}/events.jsonl\"\n", 8, "${", "environment variable OUT_DIR is not set"));
        cases.add(c("env var set but empty, no default", "pipeline:\n  name: a${EMPTY}${NOPE}\n" + SINK, 2,
            "${NOPE", "environment variable NOPE is not set"));
        cases.add(c("ring_size not a power of two", HEAD + SINK + "  runtime:\n    ring_size: 1000\n", 8, "1000",
            "runtime 'ring_size' must be a power of two", "not 1000"));
        cases.add(c("unknown wait strategy", HEAD + SINK + "  runtime:\n    wait: busy-spn\n", 8, "busy-spn",
            "runtime 'wait' must be one of", "not 'busy-spn'", "did you mean 'busy-spin'?"));
        cases.add(c("unknown stage wait strategy", HEAD + SINK + "  runtime:\n    stages:\n      sink: {wait: yeild}\n",
            9, "yeild", "stage 'sink' 'wait' must be one of", "did you mean 'yield'?"));
        cases.add(c("unknown source type", "pipeline:\n  name: t\n  source:\n    type: generater\n" + SINK, 4,
            "generater", "unknown source type 'generater'", "did you mean 'generator'?"));
        cases.add(c("unknown sink type", HEAD + "  sink:\n    type: blackhol\n", 6, "blackhol",
            "unknown sink type 'blackhol'", "did you mean 'blackhole'?"));
        cases.add(c("undefined lookup", HEAD + LOOKUPS + "  transforms:\n    - type: enrich\n      lookup: user\n" +
            "      key: event.user_id\n" + SINK, 11, "user", "undefined lookup 'user'", "did you mean 'users'?"));
        cases.add(new Case("lookup defined inline and in the catalog", HEAD + LOOKUPS + SINK,
            "lookups:\n  users:\n    type: file\n    config: {path: users.csv, key: user_id}\n", USERS_CSV,
            "lookups.yaml", 2, "users", List.of("lookup 'users' is defined twice", "pipeline.yaml:6:5")));
        cases.add(c("duplicate key", HEAD + "  name: u\n" + SINK, 5, "name",
            "duplicate key 'name' (first at line 2)"));
        cases.add(c("bad on_miss", HEAD + LOOKUPS + "  transforms:\n    - type: enrich\n      lookup: users\n" +
            "      key: event.user_id\n      on_miss: skip\n" + SINK, 13, "skip",
            "enrich 'on_miss' must be one of dead_letter, drop, pass, not 'skip'"));
        cases.add(c("bad duration", HEAD + "  sink:\n    type: blackhole\n    batch:\n      linger: soon\n", 8,
            "soon", "batch 'linger' must be a duration", "not 'soon'"));
        cases.add(c("unknown field in a plain condition", HEAD + "  transforms:\n    - type: filter\n" +
            "      condition: event.typo = 1\n" + SINK, 7, "typo", "filter condition: unknown field 'typo'",
            "did you mean 'type'?"));
        cases.add(c("unknown field in a double-quoted condition", HEAD + "  transforms:\n    - type: filter\n" +
            "      condition: \"event.typo = 1\"\n" + SINK, 7, "typo", "unknown field 'typo'", "did you mean 'type'?"));
        cases.add(c("unknown field in a single-quoted condition", HEAD + "  transforms:\n    - type: filter\n" +
            "      condition: 'event.typo = 1'\n" + SINK, 7, "typo", "unknown field 'typo'"));
        cases.add(c("expression lex error", HEAD + "  transforms:\n    - type: filter\n" +
            "      condition: event.type == 'click'\n" + SINK, 7, "==", "filter condition: unexpected '=='"));
        cases.add(c("expression parse error", HEAD + "  transforms:\n    - type: filter\n" +
            "      condition: event.amount > > 1\n" + SINK, 7, "> 1", "filter condition: expected"));
        cases.add(c("unknown enrich key field", HEAD + LOOKUPS + "  transforms:\n    - type: enrich\n" +
            "      lookup: users\n      key: event.usr_id\n" + SINK, 12, "usr_id", "enrich key: unknown field 'usr_id'",
            "did you mean 'user_id'?"));
        cases.add(c("enrich select of an unknown column", HEAD + LOOKUPS + "  transforms:\n    - type: enrich\n" +
            "      lookup: users\n      key: event.user_id\n      select: [tier, contry]\n" + SINK, 13, "[",
            "lookup 'users' has no column 'contry'", "did you mean 'country'?"));
        cases.add(c("generator option of the wrong type", HEAD + "    config:\n      rate: fast\n" + SINK, 6, "fast",
            "source 'generator': 'rate' must be", "not 'fast'"));
        cases.add(new Case("lookup CSV with a duplicate key", HEAD + LOOKUPS + "  transforms:\n" +
            "    - type: enrich\n      lookup: users\n      key: event.user_id\n" + SINK, null,
            USERS_CSV + "1,bronze,US\n", "pipeline.yaml", 6, "users",
            List.of("lookup 'users'", "users.csv:4", "duplicate key 1, already on line 2")));
        cases.add(c("YAML bad indentation", HEAD + "   sink:\n    type: blackhole\n", 5, "sink", "YAML syntax error",
            "expected <block end>"));
        cases.add(c("YAML unclosed quote", "pipeline:\n  name: \"t\n  source:\n    type: generator\n", 2, "\"",
            "YAML syntax error", "end of stream", "quoted scalar"));
        cases.add(c("YAML unclosed flow list", HEAD + "    config:\n      types: {view: 1, click: 2\n", 6, "{",
            "YAML syntax error", "while parsing a flow mapping"));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsWhereAndWhat(final Case c) throws IOException
    {
        final Path file = write(c);
        final ConfigException e = assertThrows(ConfigException.class, () -> plan(file));

        final String[] lines = (c.file().equals(PipelineConfigLoader.CATALOG) ? c.catalog() : c.yaml())
            .split("\n", -1);
        final int column = lines[c.line() - 1].indexOf(c.marker()) + 1;
        assertTrue(column > 0, "marker '" + c.marker() + "' not on line " + c.line());
        assertTrue(e.location().file().endsWith(c.file()), e.getMessage());
        assertEquals(c.line() + ":" + column, e.location().line() + ":" + e.location().column(), e.getMessage());
        for (final String part : c.detail())
        {
            assertTrue(e.detail().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
        assertEquals(e.location() + ": " + e.detail(), e.getMessage());
    }

    @Test
    void defaultsAndSetVariablesAreSubstituted() throws IOException
    {
        final Path file = dir.resolve("ok.yaml");
        Files.writeString(file, "pipeline:\n  name: ${PIPE_NAME:-demo}\n  source:\n    type: generator\n" +
            "    config:\n      rate: ${RATE:-1000}\n      events: ${EVENTS:-77}\n      seed: ${EMPTY:-9}\n" +
            "  sink:\n    type: file\n    config:\n      path: \"out/$${literal}/${SUB:-x}.jsonl\"\n");

        final PipelinePlan plan = plan(file);

        assertEquals("demo", plan.name());
        assertEquals(500, plan.sourceConfig().getLong("rate"));
        assertEquals(77, plan.sourceConfig().getLong("events"));
        assertEquals(9, plan.sourceConfig().getLong("seed"));
        assertEquals("out/${literal}/x.jsonl", plan.sinks().get(0).values().string("path"));
    }

    @Test
    void validateCommandPrintsOneLineAndExitsTwo() throws IOException
    {
        final Path file = dir.resolve("bad.yaml");
        Files.writeString(file, HEAD + "    config:\n      rate: fast\n" + SINK);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();

        final int status = Main.execute(new String[]{"validate", file.toString()}, new PrintWriter(out, true),
            new PrintWriter(err, true));

        assertEquals(2, status);
        final String text = err.toString();
        assertFalse(text.contains("\tat "), text);
        final String[] lines = text.strip().split("\r?\n");
        assertEquals(1, lines.length, text);
        assertTrue(lines[0].startsWith(file + ":6:13: "), text);
        assertTrue(lines[0].matches(".+:\\d+:\\d+: source 'generator': 'rate' must be .*'fast'.*"), text);
        assertFalse(out.toString().contains("ok"), out.toString());
    }

    private Path write(final Case c) throws IOException
    {
        final Path d = Files.createDirectories(dir.resolve(c.name().replaceAll("[^A-Za-z0-9]+", "-")));
        Files.writeString(d.resolve("users.csv"), c.csv());
        if (c.catalog() != null)
        {
            Files.writeString(d.resolve(PipelineConfigLoader.CATALOG), c.catalog());
        }
        final Path file = d.resolve("pipeline.yaml");
        Files.writeString(file, c.yaml());
        return file;
    }

    private static PipelinePlan plan(final Path file)
    {
        return new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(ENV).load(file));
    }
}

package dev.dataforge.connectors.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;
import dev.dataforge.codec.JsonSchema;
import dev.dataforge.codec.JsonTranscoder;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.connectors.kafka.embedded.EmbeddedKafka;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.expr.Condition;
import dev.dataforge.core.expr.ExpressionCompiler;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real nested JSON that nobody here wrote: the GitHub webhook payloads of {@code @octokit/webhooks-examples}
 * (see {@link WebhookCorpus}), through Kafka with {@code schema: auto} into the file sink and DuckDB, every record
 * whole; and conditions on nested paths against DuckDB's own {@code json_extract} over the same records.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WebhookCorpusTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static List<byte[]> corpus;
    private static JsonSchema schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void load()
    {
        corpus = WebhookCorpus.load(WebhookCorpus.locate());
        schema = JsonSchema.infer("webhooks", corpus);
    }

    /**
     * Conditions of ours, and the same selection in DuckDB's SQL over the raw documents: a path compared with a
     * string is {@code json_extract_string}; with a number, the value when it is a JSON number; with a boolean,
     * when it is a JSON boolean; IS NULL is a missing path or a JSON null.
     */
    private static final String[][] CONDITIONS = {
        {"event.sender.login = 'Codertocat'", "json_extract_string(doc, '$.sender.login') = 'Codertocat'"},
        {"event.repository.owner.login LIKE 'C%'", "json_extract_string(doc, '$.repository.owner.login') LIKE 'C%'"},
        {"event.repository.stargazers_count > 0", num("$.repository.stargazers_count") + " > 0"},
        {"event.repository.owner.id BETWEEN 1 AND 30000000",
            num("$.repository.owner.id") + " BETWEEN 1 AND 30000000"},
        {"event.repository.private = false", bool("$.repository.private") + " = false"},
        {"NOT event.sender.site_admin", "NOT " + bool("$.sender.site_admin")},
        {"event.pull_request.labels[0].name IS NOT NULL",
            "coalesce(json_type(doc, '$.pull_request.labels[0].name'), 'NULL') <> 'NULL'"},
        {"event.repository.description IS NULL",
            "coalesce(json_type(doc, '$.repository.description'), 'NULL') = 'NULL'"},
        {"event.action IN ('created', 'opened', 'deleted') AND event.sender.type = 'User'",
            "json_extract_string(doc, '$.action') IN ('created', 'opened', 'deleted') AND " +
                "json_extract_string(doc, '$.sender.type') = 'User'"},
        {"event.sender.id = '21031067'", "json_extract_string(doc, '$.sender.id') = '21031067'"},
        {"event.installation.id > 1 OR event.organization.login = 'Octocoders'",
            num("$.installation.id") + " > 1 OR json_extract_string(doc, '$.organization.login') = 'Octocoders'"},
        {"event.hook.config.url LIKE 'https://%'", "json_extract_string(doc, '$.hook.config.url') LIKE 'https://%'"},
        {"event.repository.topics[0] IS NULL", "coalesce(json_type(doc, '$.repository.topics[0]'), 'NULL') = 'NULL'"},
        {"event.repository.owner.login < 'M'", "json_extract_string(doc, '$.repository.owner.login') < 'M'"},
        {"event.repository.size * 2 >= 100", num("$.repository.size") + " * 2 >= 100"},
    };

    private static String num(final String path)
    {
        return "(CASE WHEN json_type(doc, '" + path + "') IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN json_extract(doc, '" +
            path + "')::DOUBLE END)";
    }

    private static String bool(final String path)
    {
        return "(CASE WHEN json_type(doc, '" + path + "') = 'BOOLEAN' THEN json_extract(doc, '" + path +
            "')::BOOLEAN END)";
    }

    /**
     * Kept whole, every path is read inside a json field; flattened ({@code flatten: true}), the same condition
     * reads the member's own column where there is one (its type inferred: a number, not the number's text) and a
     * path inside what stayed json (arrays, mixed kinds) where not. A condition whose types do not agree with the
     * flattened columns (a number compared with a string) is refused when it compiles, and not run.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nestedPathConditionsSelectExactlyWhatDuckDbsJsonExtractSelects(final boolean flatten) throws Exception
    {
        final JsonSchema used = flatten ? JsonSchema.infer("webhooks", corpus, path -> true) : schema;
        final RecordLayout layout = used.layout();
        final JsonTranscoder t = new JsonTranscoder(layout, used.required());
        final int[] bases = new int[corpus.size()];
        int total = 0;
        for (final byte[] r : corpus)
        {
            total += layout.recordLength() + r.length;
        }
        final UnsafeBuffer slots = new UnsafeBuffer(new byte[total]);
        int at = 0;
        for (int i = 0; i < corpus.size(); i++)
        {
            final byte[] r = corpus.get(i);
            assertEquals(JsonTranscoder.OK, t.transcode(r, 0, r.length, slots, at, layout.recordLength() + r.length),
                t.error());
            bases[i] = at;
            at += t.recordLength();
        }
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"))
        {
            try (Statement s = duckdb.createStatement())
            {
                s.execute("CREATE TABLE c (i INTEGER, doc JSON)");
            }
            try (PreparedStatement ps = duckdb.prepareStatement("INSERT INTO c VALUES (?, ?)"))
            {
                for (int i = 0; i < corpus.size(); i++)
                {
                    ps.setInt(1, i);
                    ps.setString(2, new String(corpus.get(i), StandardCharsets.UTF_8));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            int selective = 0;
            int refused = 0;
            for (final String[] c : CONDITIONS)
            {
                final Condition condition;
                try
                {
                    condition = ExpressionCompiler.compileCondition(c[0], layout);
                }
                catch (final dev.dataforge.core.expr.ExpressionException e)
                {
                    assertTrue(flatten, c[0] + ": " + e.getMessage());
                    refused++;
                    continue;
                }
                final TreeSet<Integer> ours = new TreeSet<>();
                for (int i = 0; i < bases.length; i++)
                {
                    if (condition.test(slots, bases[i]))
                    {
                        ours.add(i);
                    }
                }
                final TreeSet<Integer> theirs = new TreeSet<>();
                try (Statement s = duckdb.createStatement();
                    ResultSet rs = s.executeQuery("SELECT i FROM c WHERE " + c[1]))
                {
                    while (rs.next())
                    {
                        theirs.add(rs.getInt(1));
                    }
                }
                assertEquals(theirs, ours, c[0]);
                if (!ours.isEmpty() && ours.size() < corpus.size())
                {
                    selective++;
                }
            }
            assertEquals(CONDITIONS.length - refused, selective, "every condition selects some records and not all");
            assertTrue(refused <= 1, refused + " conditions refused on the flattened layout");
            if (flatten)
            {
                assertEquals(FieldType.STRING, layout.field("repository.owner.login").type(), "flattened");
            }
        }
    }

    /** With the journal on, the records go through it (each entry as long as its record) before the sinks. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theCorpusGoesThroughKafkaWithAnInferredSchemaIntoAFileAndDuckDbWhole(final boolean journal) throws Exception
    {
        try (EmbeddedKafka kafka = new EmbeddedKafka())
        {
            kafka.createTopic("webhooks", 1);
            final List<String> values = new ArrayList<>();
            for (final byte[] r : corpus)
            {
                values.add(new String(r, StandardCharsets.UTF_8));
            }
            TestTopics.produceValues(kafka.bootstrapServers(), "webhooks", values);
            final Path file = dir.resolve("webhooks.yaml");
            Files.writeString(file, "pipeline:\n" +
                "  name: webhooks\n" +
                "  mode: batch\n" +
                "  source:\n" +
                "    type: kafka\n" +
                "    config:\n" +
                "      brokers: '" + kafka.bootstrapServers() + "'\n" +
                "      topic: webhooks\n" +
                "      group: webhooks\n" +
                "      schema: auto\n" +
                "      schema_sample: " + corpus.size() + "\n" +
                "  sinks:\n" +
                "    file: {type: file, config: {path: " + dir.resolve("out.jsonl") + "}, dead_letter: {type: file, " +
                "config: {path: " + dir.resolve("dlq.jsonl") + "}}}\n" +
                "    lake: {type: duckdb, config: {path: " + dir.resolve("lake.duckdb") + ", table: webhooks}, " +
                "dead_letter: {type: file, config: {path: " + dir.resolve("lake-dlq.jsonl") + "}}}\n" +
                "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
                (journal ? "  journal: {enabled: true, path: " + dir.resolve("journal") + "}\n" : ""));
            final RunResult r = new Pipeline(new PipelinePlanner(new Connectors()).plan(
                new PipelineConfigLoader(Map.of()).load(file)), RunOptions.unbounded()).run();
            assertNull(r.error(), String.valueOf(r.error()));
            assertEquals(0, r.deadLetters(), "dead letters: " + (Files.exists(dir.resolve("dlq.jsonl")) ?
                Files.readString(dir.resolve("dlq.jsonl")) : ""));

            final List<String> expected = new ArrayList<>();
            for (final byte[] record : corpus)
            {
                expected.add(canonical(JSON.readTree(record)));
            }
            final List<String> lines = Files.readAllLines(dir.resolve("out.jsonl"));
            assertEquals(corpus.size(), lines.size());
            for (int i = 0; i < lines.size(); i++)
            {
                assertEquals(expected.get(i), canonical(JSON.readTree(lines.get(i))), "record " + i + " in the file");
            }

            final List<String> rows = new ArrayList<>();
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("lake.duckdb"));
                Statement st = c.createStatement())
            {
                try (ResultSet types = st.executeQuery("SELECT data_type FROM information_schema.columns WHERE " +
                    "table_name = 'webhooks' AND column_name = 'repository'"))
                {
                    assertTrue(types.next());
                    assertEquals("JSON", types.getString(1), "a nested field is a DuckDB JSON column");
                }
                try (ResultSet rs = st.executeQuery("SELECT * FROM webhooks"))
                {
                    final ResultSetMetaData md = rs.getMetaData();
                    while (rs.next())
                    {
                        final ObjectNode row = JSON.createObjectNode();
                        for (int col = 1; col <= md.getColumnCount(); col++)
                        {
                            final Field f = schema.layout().field(md.getColumnName(col));
                            final Object v = rs.getObject(col);
                            if (f == null || v == null)
                            {
                                continue;
                            }
                            if (f.type() == FieldType.JSON)
                            {
                                row.set(f.name(), JSON.readTree(rs.getString(col)));
                            }
                            else if (md.getColumnType(col) == Types.TIMESTAMP)
                            {
                                row.put(f.name(), rs.getTimestamp(col).toLocalDateTime().atOffset(ZoneOffset.UTC)
                                    .toInstant().toString());
                            }
                            else
                            {
                                row.set(f.name(), JSON.valueToTree(v));
                            }
                        }
                        rows.add(canonical(row));
                    }
                }
            }
            assertEquals(new TreeMap<>(counts(expected)), new TreeMap<>(counts(rows)),
                "every record in DuckDB, whole, as parsed values");
            if (journal)
            {
                // the journal's own tool reads every entry back whole, each as long as its record
                final java.io.StringWriter out = new java.io.StringWriter();
                assertEquals(0, dev.dataforge.core.cli.Main.execute(new String[] {"journal", "inspect",
                    dir.resolve("journal").toString(), "--limit", "1000", "--pipeline", file.toString()},
                    new java.io.PrintWriter(out, true), new java.io.PrintWriter(new java.io.StringWriter(), true)));
                final String[] entries = out.toString().trim().split("\n");
                assertEquals(corpus.size(), entries.length);
                for (int i = 0; i < entries.length; i++)
                {
                    assertEquals(expected.get(i), canonical(JSON.readTree(entries[i]).get("event")), "entry " + i);
                }
            }
        }
    }

    @Test
    void aFlattenedCorpusLandsInDuckDbAColumnPerMember() throws Exception
    {
        try (EmbeddedKafka kafka = new EmbeddedKafka())
        {
            kafka.createTopic("flat", 1);
            final List<String> values = new ArrayList<>();
            long codertocat = 0;
            for (final byte[] r : corpus)
            {
                values.add(new String(r, StandardCharsets.UTF_8));
                codertocat += "Codertocat".equals(JSON.readTree(r).path("repository").path("owner").path("login")
                    .asText(null)) ? 1 : 0;
            }
            TestTopics.produceValues(kafka.bootstrapServers(), "flat", values);
            final Path file = dir.resolve("flat.yaml");
            Files.writeString(file, "pipeline:\n  name: flat\n  mode: batch\n  source:\n    type: kafka\n" +
                "    config:\n      brokers: '" + kafka.bootstrapServers() + "'\n      topic: flat\n      group: flat\n" +
                "      schema: auto\n      schema_sample: " + corpus.size() + "\n      flatten: true\n" +
                "  transforms:\n    - type: filter\n      condition: event.repository.owner.login = 'Codertocat'\n" +
                "  sink: {type: duckdb, config: {path: " + dir.resolve("flat.duckdb") + ", table: flat}}\n" +
                "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
                "  dead_letter: {config: {path: " + dir.resolve("flat-dlq.jsonl") + "}}\n");
            final RunResult r = new Pipeline(new PipelinePlanner(new Connectors()).plan(
                new PipelineConfigLoader(Map.of()).load(file)), RunOptions.unbounded()).run();
            assertNull(r.error(), String.valueOf(r.error()));
            assertEquals(0, r.deadLetters());
            assertTrue(codertocat > 10 && codertocat < corpus.size(), "the filter selects " + codertocat);
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("flat.duckdb"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT \"repository.owner.login\"), " +
                    "min(\"repository.owner.id\"), max(json_array_length(\"repository.topics\")) FROM flat"))
            {
                assertTrue(rs.next());
                assertEquals(codertocat, rs.getLong(1), "the flattened column filtered as the documents say");
                assertEquals(1, rs.getLong(2));
                assertTrue(rs.getLong(3) > 0, "an integer column");
                assertTrue(rs.getLong(4) >= 0, "an array stays a json column");
            }
        }
    }

    private static Map<String, Integer> counts(final List<String> items)
    {
        final Map<String, Integer> out = new TreeMap<>();
        items.forEach(s -> out.merge(s, 1, Integer::sum));
        return out;
    }

    /**
     * @return the record as parsed values in one spelling: keys sorted, numbers as plain decimals, timestamps of
     * the schema as instants, and top-level nulls dropped (a field absent from a record is NULL in a table, the
     * same as a null; nulls inside nested values are kept, as they are carried).
     */
    private static String canonical(final JsonNode record)
    {
        final StringBuilder sb = new StringBuilder("{");
        final TreeMap<String, JsonNode> sorted = new TreeMap<>();
        final Iterator<Map.Entry<String, JsonNode>> it = record.fields();
        while (it.hasNext())
        {
            final Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull())
            {
                sorted.put(e.getKey(), e.getValue());
            }
        }
        for (final Map.Entry<String, JsonNode> e : sorted.entrySet())
        {
            final Field f = schema.layout().field(e.getKey());
            sb.append(JSON.valueToTree(e.getKey()).toString()).append(':');
            if (f != null && f.type() == FieldType.TIMESTAMP && e.getValue().isTextual())
            {
                sb.append(OffsetDateTime.parse(e.getValue().asText()).toInstant());
            }
            else
            {
                value(e.getValue(), sb);
            }
            sb.append(',');
        }
        return sb.append('}').toString();
    }

    private static void value(final JsonNode v, final StringBuilder sb)
    {
        if (v.isObject())
        {
            sb.append('{');
            final TreeMap<String, JsonNode> sorted = new TreeMap<>();
            v.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            for (final Map.Entry<String, JsonNode> e : sorted.entrySet())
            {
                sb.append(JSON.valueToTree(e.getKey()).toString()).append(':');
                value(e.getValue(), sb);
                sb.append(',');
            }
            sb.append('}');
        }
        else if (v.isArray())
        {
            sb.append('[');
            v.forEach(x ->
            {
                value(x, sb);
                sb.append(',');
            });
            sb.append(']');
        }
        else if (v.isNumber())
        {
            sb.append(new BigDecimal(v.asText()).stripTrailingZeros().toPlainString());
        }
        else
        {
            sb.append(v.toString());
        }
    }
}

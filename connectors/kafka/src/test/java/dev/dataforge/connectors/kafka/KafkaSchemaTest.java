package dev.dataforge.connectors.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.api.config.ConfigException;
import dev.dataforge.connectors.kafka.embedded.EmbeddedKafka;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records whose schema is not the built-in one, through the Kafka source: given as a field list, given as an SBE
 * XML file, or inferred from the topic and then locked; new fields reported and ignored or dead-lettered by policy;
 * records that break the locked schema dead-lettered with their reason. Config mistakes say what and where.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaSchemaTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRADES = 600;
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception
    {
        kafka = new EmbeddedKafka();
        kafka.createTopic("trades", 1);
        // 600 trades, then a wrong type, a missing required field, and 10 trades with a field added later
        final List<String> records = new ArrayList<>();
        for (int i = 1; i <= TRADES; i++)
        {
            records.add(trade(i, ""));
        }
        records.add("{\"id\": 9001, \"price\": \"cheap\", \"at\": \"2026-01-01T00:00:00Z\", \"sku\": \"sku-1\"}");
        records.add("{\"price\": 14.00, \"at\": \"2026-01-01T00:00:00Z\", \"sku\": \"sku-1\"}");
        for (int i = TRADES + 1; i <= TRADES + 10; i++)
        {
            records.add(trade(i, ", \"color\": \"red\""));
        }
        TestTopics.produceValues(kafka.bootstrapServers(), "trades", records);
    }

    @AfterAll
    static void stop() throws Exception
    {
        kafka.close();
    }

    private static String trade(final int i, final String extra)
    {
        return "{\"id\": " + i + ", \"price\": " + price(i) + ", \"qty\": " + (i % 7) + ", \"at\": \"2026-01-01T00:" +
            String.format("%02d:%02d", i / 60 % 60, i % 60) + "Z\", \"sku\": \"sku-" + (i % 50) + "\"" + extra + "}";
    }

    private static BigDecimal price(final int i)
    {
        return BigDecimal.valueOf(1200 + (i * 37) % 400, 2);
    }

    /** @return ids of the trades the test's filter passes: price > 14.00 and sku LIKE 'sku-1%'. */
    private static TreeSet<Long> expected(final int upTo)
    {
        final TreeSet<Long> ids = new TreeSet<>();
        for (int i = 1; i <= upTo; i++)
        {
            if (price(i).compareTo(new BigDecimal("14.00")) > 0 && ("sku-" + (i % 50)).startsWith("sku-1"))
            {
                ids.add((long)i);
            }
        }
        return ids;
    }

    private Path pipeline(final String name, final String sourceExtra) throws Exception
    {
        final Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: " + name + "\n" +
            "  source:\n" +
            "    type: kafka\n" +
            "    config:\n" +
            "      brokers: '" + kafka.bootstrapServers() + "'\n" +
            "      topic: trades\n" +
            "      group: " + name + "\n" +
            sourceExtra +
            "  transforms:\n" +
            "    - type: filter\n" +
            "      condition: event.price > 14.00 AND event.sku LIKE 'sku-1%'\n" +
            "  sink: {type: file, config: {path: " + name + ".jsonl}}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
            "  dead_letter: {config: {path: " + name + "-dlq.jsonl}}\n");
        return file;
    }

    private Pipeline last;

    private RunResult run(final Path file) throws Exception
    {
        last = new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(Map.of()).load(file)),
            RunOptions.unbounded().withIdleExit(Duration.ofSeconds(3)));
        return last.run();
    }

    private TreeSet<Long> ids(final String file) throws Exception
    {
        final TreeSet<Long> ids = new TreeSet<>();
        for (final String line : Files.readAllLines(dir.resolve(file)))
        {
            assertTrue(ids.add(JSON.readTree(line).get("id").asLong()), line);
        }
        return ids;
    }

    private List<JsonNode> deadLetters(final String name) throws Exception
    {
        final List<JsonNode> out = new ArrayList<>();
        for (final String line : Files.readAllLines(dir.resolve(name + "-dlq.jsonl")))
        {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void aGivenFieldListIsTheSchemaAndANewFieldIsIgnoredByDefault() throws Exception
    {
        final RunResult r = run(pipeline("given", "      fields: {id: long required, price: decimal(2) required, " +
            "qty: int, at: timestamp required, sku: string(16)}\n"));
        assertNull(r.error(), String.valueOf(r.error()));
        assertEquals(TRADES + 12, r.eventsIn());
        assertEquals(expected(TRADES + 10), ids("given.jsonl"), "the trades with a new field are processed too");
        assertEquals(1, last.metrics().sourceNewFields(), "color, reported once");
        final JsonNode first = JSON.readTree(Files.readAllLines(dir.resolve("given.jsonl")).get(0));
        assertEquals(List.of("id", "price", "qty", "at", "sku"), fieldNames(first));
        final List<JsonNode> dead = deadLetters("given");
        assertEquals(2, dead.size());
        assertTrue(dead.get(0).get("reason").asText().contains("'price'"), dead.get(0).toString());
        assertTrue(dead.get(1).get("reason").asText().contains("missing required field 'id'"), dead.get(1).toString());
    }

    private static List<String> fieldNames(final JsonNode record)
    {
        final List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void anInferredSchemaIsLockedAndRecordsWithANewFieldAreDeadLetteredByPolicy() throws Exception
    {
        final RunResult r = run(pipeline("inferred", "      schema: auto\n      schema_sample: 100\n" +
            "      on_new_field: dead_letter\n"));
        assertNull(r.error(), String.valueOf(r.error()));
        assertEquals(expected(TRADES), ids("inferred.jsonl"));
        final List<JsonNode> dead = deadLetters("inferred");
        assertEquals(12, dead.size());
        assertTrue(dead.get(0).get("reason").asText().contains("'price'"), dead.get(0).toString());
        assertTrue(dead.get(1).get("reason").asText().contains("missing required field 'id'"), dead.get(1).toString());
        for (final JsonNode d : dead.subList(2, 12))
        {
            assertEquals("field 'color' is not in the schema (on_new_field: dead_letter)", d.get("reason").asText());
        }
    }

    @Test
    void anSbeXmlSchemaFileGivesTheLayout() throws Exception
    {
        Files.writeString(dir.resolve("trades.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
            "<sbe:messageSchema xmlns:sbe=\"http://fixprotocol.io/2016/sbe\" package=\"t\" id=\"7\" version=\"1\" " +
            "byteOrder=\"littleEndian\">\n" +
            "  <types>\n" +
            "    <composite name=\"messageHeader\"><type name=\"blockLength\" primitiveType=\"uint16\"/>" +
            "<type name=\"templateId\" primitiveType=\"uint16\"/><type name=\"schemaId\" primitiveType=\"uint16\"/>" +
            "<type name=\"version\" primitiveType=\"uint16\"/></composite>\n" +
            "    <composite name=\"Price\"><type name=\"mantissa\" primitiveType=\"int64\" presence=\"optional\"/>" +
            "<type name=\"exponent\" primitiveType=\"int8\" presence=\"constant\">-2</type></composite>\n" +
            "    <type name=\"Micros\" primitiveType=\"int64\" semanticType=\"UTCTimestamp\"/>\n" +
            "    <type name=\"Sku\" primitiveType=\"char\" length=\"16\" characterEncoding=\"UTF-8\"/>\n" +
            "    <type name=\"Room\" primitiveType=\"uint8\" length=\"64\"/>\n" +
            "  </types>\n" +
            "  <sbe:message name=\"Trade\" id=\"3\">\n" +
            "    <field name=\"id\" id=\"1\" type=\"int64\"/>\n" +
            "    <field name=\"price\" id=\"2\" type=\"Price\"/>\n" +
            "    <field name=\"at\" id=\"3\" type=\"Micros\"/>\n" +
            "    <field name=\"sku\" id=\"4\" type=\"Sku\"/>\n" +
            "    <field name=\"enrichment\" id=\"5\" type=\"Room\"/>\n" +
            "  </sbe:message>\n" +
            "</sbe:messageSchema>\n");
        // and transcoded on the consumer thread, the other path (the default is the process stage)
        final RunResult r = run(pipeline("xml", "      schema: trades.xml\n      required: [id, price]\n" +
            "      decode_on: source\n"));
        assertNull(r.error(), String.valueOf(r.error()));
        assertEquals(expected(TRADES + 10), ids("xml.jsonl"));
        final JsonNode first = JSON.readTree(Files.readAllLines(dir.resolve("xml.jsonl")).get(0));
        assertEquals(List.of("id", "price", "at", "sku"), fieldNames(first), "qty is not in this schema");
        assertEquals(2, deadLetters("xml").size());
    }

    private String planError(final String sourceExtra) throws Exception
    {
        final Path file = pipeline("broken", sourceExtra);
        return assertThrows(ConfigException.class, () -> new PipelinePlanner(new Connectors()).plan(
            new PipelineConfigLoader(Map.of()).load(file))).getMessage();
    }

    @Test
    void schemaMistakesSayWhatAndWhere() throws Exception
    {
        assertEquals("broken.yaml:9:33: source 'kafka': field 'price': 'decimal' needs its scale, e.g. decimal(2)",
            planError("      fields: {id: long, price: decimal}\n").replaceFirst("^.*/", ""));
        assertEquals("broken.yaml:10:15: source 'kafka': give the schema either as fields or with schema: auto, " +
            "not both", planError("      schema: auto\n      fields: {id: long}\n").replaceFirst("^.*/", ""));
        assertEquals("broken.yaml:9:15: source 'kafka': schema 'nope.xml' is not builtin, auto, or an SBE XML file (" +
            dir.resolve("nope.xml") + " not found)", planError("      schema: nope.xml\n").replaceFirst("^[^:]*/", ""));
        assertEquals("broken.yaml:9:15: source 'kafka': schema: auto infers JSON records; SBE records need their " +
            "schema (builtin or an SBE XML file)", planError("      schema: auto\n      format: sbe\n")
            .replaceFirst("^.*/", ""));
        assertEquals("broken.yaml:10:16: source 'kafka': flatten applies to schema: auto; in a field list, name an " +
            "object's members by their path instead (fields: {repository.owner.login: string})",
            planError("      fields: {id: long}\n      flatten: true\n").replaceFirst("^.*/", ""));
        assertEquals("broken.yaml:9:19: source 'kafka': field 'p': unknown type 'jsn' (known: " +
            dev.dataforge.codec.FieldTypes.KNOWN_EVENT + ")", planError("      fields: {p: jsn}\n")
            .replaceFirst("^.*/", ""));
        final String filter = planError("      fields: {id: long required, amount: decimal(2)}\n");
        assertTrue(filter.contains("price") && filter.contains("amount"), filter);
    }
}

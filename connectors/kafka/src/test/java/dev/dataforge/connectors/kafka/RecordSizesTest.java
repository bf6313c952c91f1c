package dev.dataforge.connectors.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.connectors.kafka.embedded.EmbeddedKafka;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import org.agrona.BitUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every record size from 1 byte to twice a slot's default room, through Kafka: no size stops the pipeline, and
 * every record is delivered whole or dead-lettered with a reason (a record between the layout's length and its
 * slot's capacity once stopped the whole pipeline). Then records larger than a slot, and one larger than the ring
 * takes in one claim.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RecordSizesTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception
    {
        kafka = new EmbeddedKafka();
    }

    @AfterAll
    static void stop() throws Exception
    {
        kafka.close();
    }

    /**
     * @return a record of exactly {@code size} bytes: a valid event padded with spaces, or when it cannot be that
     * short, the first {@code size} bytes of one (truncated JSON).
     */
    private static String record(final int id, final int size, final String pageField)
    {
        final String head = "{\"event_id\":" + id + ",\"event_time\":\"2026-01-01T00:00:00Z\"";
        if (pageField == null)
        {
            final String whole = head + "}";
            return whole.length() <= size ? head + " ".repeat(size - whole.length()) + "}" :
                whole.substring(0, size);
        }
        final String empty = head + ",\"" + pageField + "\":\"\"}";
        return empty.length() <= size ? head + ",\"" + pageField + "\":\"" + "p".repeat(size - empty.length()) + "\"}" :
            empty.substring(0, size);
    }

    /** @return the length of the shortest valid record {@link #record} makes. */
    private static int shortest(final int id, final String pageField)
    {
        final String head = "{\"event_id\":" + id + ",\"event_time\":\"2026-01-01T00:00:00Z\"";
        return (pageField == null ? head + "}" : head + ",\"" + pageField + "\":\"\"}").length();
    }

    private RunResult run(final String name, final String schema, final String runtime, final List<String> values)
        throws Exception
    {
        kafka.createTopic(name, 1);
        TestTopics.produceValues(kafka.bootstrapServers(), name, values);
        final Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: " + name + "\n" +
            "  mode: batch\n" +
            "  source:\n" +
            "    type: kafka\n" +
            "    config:\n" +
            "      brokers: '" + kafka.bootstrapServers() + "'\n" +
            "      topic: " + name + "\n" +
            "      group: " + name + "\n" +
            schema +
            "  sink: {type: file, config: {path: " + dir.resolve(name + ".jsonl") + "}}\n" +
            runtime +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
            "  dead_letter: {config: {path: " + dir.resolve(name + "-dlq.jsonl") + "}}\n");
        return new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(Map.of()).load(file)),
            RunOptions.unbounded()).run();
    }

    /** @return delivered records by event_id, after checking every record is delivered or dead-lettered. */
    private Map<Long, JsonNode> settle(final String name, final RunResult r, final int records) throws Exception
    {
        assertNull(r.error(), String.valueOf(r.error()));
        final Map<Long, JsonNode> delivered = new HashMap<>();
        for (final String line : Files.readAllLines(dir.resolve(name + ".jsonl")))
        {
            final JsonNode e = JSON.readTree(line);
            assertNull(delivered.put(e.get("event_id").asLong(), e), "delivered twice: " + line);
        }
        final Path dlq = dir.resolve(name + "-dlq.jsonl");
        final List<String> dead = Files.exists(dlq) ? Files.readAllLines(dlq) : List.of();
        for (final String line : dead)
        {
            assertFalse(JSON.readTree(line).get("reason").asText().isBlank(), line);
        }
        assertEquals(records, delivered.size() + dead.size(), "every record delivered or dead-lettered");
        assertEquals(delivered.size(), r.delivered());
        return delivered;
    }

    @Test
    void noSizeOfRecordStopsTheBuiltInSchemasPipeline() throws Exception
    {
        final int slot = BitUtil.align(SbeLayouts.userEvent().recordLength(), 64);
        final List<String> values = new ArrayList<>();
        for (int size = 1; size <= 2 * slot; size++)
        {
            values.add(record(size, size, null));
        }
        final Map<Long, JsonNode> delivered = settle("fixed", run("fixed", "", "", values), values.size());
        for (int size = 1; size <= 2 * slot; size++)
        {
            assertEquals(size >= shortest(size, null), delivered.containsKey((long)size), "record of " + size +
                " bytes");
        }
    }

    @Test
    void recordsOfAVariableSchemaAreCarriedWholeAtEverySizeAndOneTooLargeForTheRingIsDeadLettered() throws Exception
    {
        final int room = 1024 + 256; // beyond the default room of a claim for a variable layout
        final List<String> values = new ArrayList<>();
        for (int size = 1; size <= 2 * room; size++)
        {
            values.add(record(size, size, "page"));
        }
        values.add(record(1_000_001, 300_000, "page"));
        values.add(record(1_000_002, 600_000, "page")); // more than half of ring_bytes: the largest claim
        final String schema = "      fields: {event_id: long required, event_time: timestamp required, page: string}\n";
        final RunResult r = run("variable", schema, "  runtime: {ring_bytes: 1MiB}\n", values);
        final Map<Long, JsonNode> delivered = settle("variable", r, values.size());
        for (int size = 1; size <= 2 * room; size++)
        {
            final JsonNode e = delivered.get((long)size);
            assertEquals(size >= shortest(size, "page"), e != null, "record of " + size + " bytes");
            if (e != null)
            {
                assertEquals(size - shortest(size, "page"), e.get("page").asText().length(), "the page whole");
            }
        }
        assertEquals(300_000 - shortest(1_000_001, "page"), delivered.get(1_000_001L).get("page").asText().length());
        assertFalse(delivered.containsKey(1_000_002L));
        final String last = Files.readAllLines(dir.resolve("variable-dlq.jsonl")).stream()
            .filter(l -> l.contains("more than the ring takes")).findFirst().orElse("");
        assertTrue(last.contains("600000 bytes"), last);
    }

    /**
     * Variable records out through the Kafka sink as SBE (each value as long as its record) and back in through the
     * SBE source with the same field list: every record whole; read with another field list, every one is
     * dead-lettered (its header's version is another layout's), none misread.
     */
    @Test
    void variableRecordsRoundTripThroughKafkaAsSbe() throws Exception
    {
        final List<String> values = new ArrayList<>();
        for (int i = 1; i <= 300; i++)
        {
            values.add("{\"event_id\":" + i + ",\"event_time\":\"2026-01-01T00:00:00Z\",\"page\":\"" +
                "q".repeat(i * 7) + "\",\"payload\":{\"n\":" + i + ",\"tags\":[\"a\",{\"b\":null}]}}");
        }
        final String fields = "      fields: {event_id: long required, event_time: timestamp required, page: string, " +
            "payload: json}\n";
        kafka.createTopic("sbe-out", 1);
        final String out = "  sink: {type: kafka, config: {brokers: '" + kafka.bootstrapServers() + "', topic: sbe-out, " +
            "format: sbe}}\n";
        settleTo("sbe-json", fields, out, values);
        final Map<Long, JsonNode> delivered = settle("sbe-in", readSbe("sbe-in", fields), values.size());
        assertEquals(values.size(), delivered.size());
        for (int i = 1; i <= 300; i++)
        {
            assertEquals(JSON.readTree(values.get(i - 1)).get("payload"), delivered.get((long)i).get("payload"));
            assertEquals(i * 7, delivered.get((long)i).get("page").asText().length());
        }
        // the same bytes read with another field list (page is json there): every record refused, none misread
        final RunResult other = readSbe("sbe-other", fields.replace("page: string", "page: json"));
        assertEquals(0, other.delivered());
        assertEquals(values.size(), other.deadLetters());
        assertTrue(Files.readAllLines(dir.resolve("sbe-other-dlq.jsonl")).get(0).contains("SBE record of at least"));
    }

    private RunResult readSbe(final String name, final String fields) throws Exception
    {
        final Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "pipeline:\n  name: " + name + "\n  mode: batch\n  source:\n    type: kafka\n" +
            "    config:\n      brokers: '" + kafka.bootstrapServers() + "'\n      topic: sbe-out\n" +
            "      group: " + name + "\n      format: sbe\n" + fields +
            "  sink: {type: file, config: {path: " + dir.resolve(name + ".jsonl") + "}}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
            "  dead_letter: {config: {path: " + dir.resolve(name + "-dlq.jsonl") + "}}\n");
        return new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(Map.of()).load(file)),
            RunOptions.unbounded()).run();
    }

    /** Runs JSON {@code values} through a pipeline of {@code schema} into {@code sink}; asserts nothing was lost. */
    private void settleTo(final String name, final String schema, final String sink, final List<String> values)
        throws Exception
    {
        kafka.createTopic(name, 1);
        TestTopics.produceValues(kafka.bootstrapServers(), name, values);
        final Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "pipeline:\n  name: " + name + "\n  mode: batch\n  source:\n    type: kafka\n" +
            "    config:\n      brokers: '" + kafka.bootstrapServers() + "'\n      topic: " + name + "\n" +
            "      group: " + name + "\n" + schema + sink +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        final RunResult r = new Pipeline(new PipelinePlanner(new Connectors()).plan(
            new PipelineConfigLoader(Map.of()).load(file)), RunOptions.unbounded()).run();
        assertNull(r.error(), String.valueOf(r.error()));
        assertEquals(values.size(), r.delivered());
    }
}

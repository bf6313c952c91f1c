package dev.dataforge.connectors.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.codec.JsonRecordWriter;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.codec.generator.GeneratedEvents;
import dev.dataforge.codec.generator.GeneratorSettings;
import dev.dataforge.connectors.kafka.embedded.EmbeddedKafka;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A million records from a three-partition topic, as JSON (with 10,000 malformed ones of every kind mixed in) and
 * as SBE: every valid record processed exactly once, each key's records in the order they were produced, and every
 * malformed one dead-lettered with the reason for its kind and its original bytes.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MillionRecordsTest
{
    private static final int VALID = 1_000_000;
    private static final int EVERY = 100; // a malformed record after every 100th valid one: 10,000
    private static final int MAX_RECORD_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafka kafka;

    /** The kinds of malformed records, each with the reason it must be dead-lettered for. */
    private enum Kind
    {
        INVALID_JSON("not a JSON object"),
        TRUNCATED("truncated JSON"),
        BINARY("not a JSON object"),
        WRONG_TYPE("must be a number"),
        MISSING_REQUIRED("missing required field 'event_id'"),
        OVERSIZED("is over max_record_bytes (4096)");

        final String reason;

        Kind(final String reason)
        {
            this.reason = reason;
        }
    }

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

    private static byte[] malformed(final Kind kind, final int n, final Random random)
    {
        switch (kind)
        {
            case INVALID_JSON: return ("not json " + n).getBytes(StandardCharsets.UTF_8);
            case TRUNCATED: return ("{\"event_id\": " + n + ", \"event_time\": 2").getBytes(StandardCharsets.UTF_8);
            case BINARY:
                final byte[] garbage = new byte[16 + random.nextInt(300)];
                random.nextBytes(garbage);
                garbage[0] = (byte)0xFF; // never '{' or whitespace
                return garbage;
            case WRONG_TYPE: return ("{\"event_id\": \"" + n + "\", \"event_time\": 2}").getBytes(StandardCharsets.UTF_8);
            case MISSING_REQUIRED: return ("{\"event_time\": 2, \"type\": \"click\", \"n\": " + n + "}")
                .getBytes(StandardCharsets.UTF_8);
            default: return ("{\"event_id\": " + n + ", \"event_time\": 2, \"note\": \"" + "x".repeat(10_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Produces the generator's first million events (JSON or SBE), keyed by user; for JSON, a malformed record after
     * every 100th. @return the malformed records by their bytes (Base64), with their kind.
     */
    private static Map<String, Kind> produce(final String topic, final boolean sbe) throws Exception
    {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers())))
        {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short)1))).all().get();
        }
        final RecordLayout layout = SbeLayouts.userEvent();
        final JsonRecordWriter json = new JsonRecordWriter(layout);
        final Properties p = TestTopics.producer(kafka.bootstrapServers());
        p.put("acks", "1");
        p.put("linger.ms", "20");
        p.put("batch.size", "262144");
        p.put("compression.type", "lz4");
        final Map<String, Kind> bad = new HashMap<>();
        final Random random = new Random(11);
        final int[] n = {0};
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p))
        {
            GeneratedEvents.forEach(GeneratorSettings.defaults(21, 0, VALID), (event, base) ->
            {
                final byte[] key = Long.toString(layout.field("user_id").getLong(event, base))
                    .getBytes(StandardCharsets.UTF_8);
                final byte[] value;
                if (sbe)
                {
                    value = new byte[layout.recordLength()];
                    event.getBytes(base, value);
                }
                else
                {
                    value = Arrays.copyOf(json.array(), json.write(event, base));
                }
                producer.send(new ProducerRecord<>(topic, key, value));
                if (!sbe && ++n[0] % EVERY == 0)
                {
                    final Kind kind = Kind.values()[(n[0] / EVERY) % Kind.values().length];
                    final byte[] m = malformed(kind, n[0], random);
                    bad.put(Base64.getEncoder().encodeToString(m), kind);
                    producer.send(new ProducerRecord<>(topic, key, m));
                }
            });
            producer.flush();
        }
        return bad;
    }

    private RunResult run(final String topic, final String format, final long records) throws Exception
    {
        final Path file = dir.resolve(topic + ".yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: " + topic + "\n" +
            "  source:\n" +
            "    type: kafka\n" +
            "    config: {brokers: '" + kafka.bootstrapServers() + "', topic: " + topic + ", group: g, format: " +
            format + ", max_record_bytes: " + MAX_RECORD_BYTES + "}\n" +
            "  sink: {type: ordered, config: {name: " + topic + "}}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
            "  dead_letter: {config: {path: dlq.jsonl}}\n");
        return new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(Map.of())
            .load(file)), RunOptions.unbounded().withMaxEvents(records)).run();
    }

    private static void assertEveryValidRecordOnceInKeyOrder(final String topic, final RunResult r)
    {
        final OrderCheckingSinkFactory.Check check = OrderCheckingSinkFactory.check(topic);
        assertEquals(VALID, r.delivered());
        assertEquals(VALID, check.committed);
        assertEquals(VALID, check.ids.cardinality(), "distinct event ids");
        assertEquals(0, check.duplicates);
        assertEquals(0, check.outOfOrder, "records of one key (one partition) out of production order");
        assertEquals(3, r.sourcePartitions().size());
    }

    @Test
    void aMillionJsonRecordsWithTenThousandMalformedOnesMixedIn() throws Exception
    {
        final Map<String, Kind> bad = produce("million-json", false);
        assertEquals(VALID / EVERY, bad.size());
        final RunResult r = run("million-json", "json", VALID + bad.size());
        assertNull(r.error(), String.valueOf(r.error()));
        assertEquals(bad.size(), r.deadLetters());
        assertEveryValidRecordOnceInKeyOrder("million-json", r);

        final Map<Kind, Integer> perKind = new HashMap<>();
        int entries = 0;
        try (BufferedReader in = Files.newBufferedReader(dir.resolve("dlq.jsonl")))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                entries++;
                final JsonNode e = JSON.readTree(line);
                final String raw = e.get("raw_base64").asText();
                final Kind kind = bad.get(raw);
                assertNotNull(kind, "dead letter with bytes that were not produced malformed: " + line);
                final String reason = e.get("reason").asText();
                if (!reason.contains(kind.reason))
                {
                    throw new AssertionError(kind + " dead-lettered for '" + reason + "', not '" + kind.reason + "'");
                }
                assertEquals("source", e.get("stage").asText());
                perKind.merge(kind, 1, Integer::sum);
            }
        }
        assertEquals(bad.size(), entries);
        assertEquals(Kind.values().length, perKind.size(), perKind.toString());
        // each entry's bytes are exactly a produced record's (looked up by all of them): the oversized ones, 10 kB that
        // do not fit in a slot, were kept whole
        assertEquals(VALID / EVERY / Kind.values().length, perKind.get(Kind.OVERSIZED), perKind.toString());
    }

    @Test
    void aMillionSbeRecords() throws Exception
    {
        produce("million-sbe", true);
        final RunResult r = run("million-sbe", "sbe", VALID);
        assertNull(r.error(), String.valueOf(r.error()));
        assertEquals(0, r.deadLetters());
        assertEveryValidRecordOnceInKeyOrder("million-sbe", r);
    }
}

package dev.dataforge.connectors.kafka;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.connectors.kafka.embedded.EmbeddedKafka;
import dev.dataforge.core.cli.Main;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dead-letter topic: malformed records land in {@code <topic>.dead-letters} with their original bytes as the value and
 * reason, stage, source position and time as headers; {@code ./run.sh dlq --dead-letter-topic} counts, shows and
 * re-drives them.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaDeadLetterTopicTest
{
    private static final String[] MALFORMED = {"not json", "{\"event_id\": \"x\", \"event_time\": 2}",
        "{\"event_time\": 2, \"type\": \"click\"}"};
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception
    {
        kafka = new EmbeddedKafka();
        kafka.createTopic("dlq-in", 1);
        kafka.createTopic("dlq-redriven", 1);
        TestTopics.produceJson(kafka.bootstrapServers(), "dlq-in", 200, 5);
        TestTopics.produceValues(kafka.bootstrapServers(), "dlq-in", List.of(MALFORMED));
    }

    @AfterAll
    static void stop() throws Exception
    {
        kafka.close();
    }

    private static String header(final ConsumerRecord<byte[], byte[]> r, final String key)
    {
        return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static String cli(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        return out.toString();
    }

    private Path pipeline(final String source, final String deadLetter) throws Exception
    {
        final Path file = dir.resolve("dlq.yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: dlq-topic\n" +
            "  source: " + source + "\n" +
            "  sink: {type: file, config: {path: out.jsonl}}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
            "  dead_letter: " + deadLetter + "\n");
        return file;
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicWithTheirBytesAndAreReDriven() throws Exception
    {
        final RunResult r = new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(Map.of())
            .load(pipeline("{type: kafka, config: {brokers: '" + kafka.bootstrapServers() + "', topic: dlq-in, " +
            "group: g}}", "{type: kafka}"))), RunOptions.unbounded().withIdleExit(Duration.ofSeconds(3))).run();
        assertNull(r.error(), String.valueOf(r.error()));
        assertEquals(200, r.delivered());
        assertEquals(3, r.deadLetters());

        final List<ConsumerRecord<byte[], byte[]>> dead = TestTopics.readCommitted(kafka.bootstrapServers(), "dlq-in.dead-letters");
        assertEquals(3, dead.size());
        final String[] reasons = {"not a JSON object", "must be a number", "missing required field 'event_id'"};
        for (int i = 0; i < 3; i++)
        {
            final ConsumerRecord<byte[], byte[]> d = dead.get(i);
            assertEquals(MALFORMED[i], new String(d.value(), StandardCharsets.UTF_8), "original bytes");
            assertTrue(header(d, "dataforge.reason").contains(reasons[i]), header(d, "dataforge.reason"));
            assertEquals("source", header(d, "dataforge.stage"));
            assertEquals("dlq-topic", header(d, "dataforge.pipeline"));
            assertEquals("dlq-in", header(d, "dataforge.source.topic"));
            assertEquals("0", header(d, "dataforge.source.partition"));
            assertEquals(Long.toString(200 + i), header(d, "dataforge.source.offset"));
            assertTrue(java.time.Instant.parse(header(d, "dataforge.time")).isAfter(java.time.Instant.now()
                .minusSeconds(600)));
        }

        final String brokers = kafka.bootstrapServers();
        assertEquals("3 entries {source=3}\n", cli("dead-letters", "count", "--dead-letter-topic", "dlq-in.dead-letters", "--brokers", brokers)
            .replace("\r", ""));
        final String shown = cli("dead-letters", "show", "--entry", "2", "--dead-letter-topic", "dlq-in.dead-letters", "--brokers", brokers);
        assertTrue(shown.contains("must be a number") && shown.contains("\"offset\" : 201") &&
            shown.contains("original bytes: " + MALFORMED[1]), shown);
        assertTrue(cli("dead-letters", "redrive", "--dead-letter-topic", "dlq-in.dead-letters", "--brokers", brokers, "--topic",
            "dlq-redriven").contains("re-drove 3 entries to kafka topic dlq-redriven on "));
        final List<ConsumerRecord<byte[], byte[]>> redriven = TestTopics.readCommitted(kafka.bootstrapServers(), "dlq-redriven");
        assertEquals(3, redriven.size());
        for (int i = 0; i < 3; i++)
        {
            assertEquals(MALFORMED[i], new String(redriven.get(i).value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aDeadLetterTopicNeedsItsTopicAndBrokersWithoutAKafkaSource() throws Exception
    {
        final ConfigException e = assertThrows(ConfigException.class, () -> new PipelinePlanner(new Connectors())
            .plan(new PipelineConfigLoader(Map.of()).load(pipeline("{type: generator, config: {events: 10}}",
            "{type: kafka, config: {topic: x}}"))));
        assertTrue(e.getMessage().endsWith("dlq.yaml:6:38: dead_letter 'kafka': needs 'topic' and 'brokers' (they " +
            "default to the source's only when the source is kafka)"), e.getMessage());
        final ConfigException flat = assertThrows(ConfigException.class, () -> new PipelineConfigLoader(Map.of())
            .load(pipeline("{type: generator, config: {events: 10}}", "{type: kafka, topic: x}")));
        assertTrue(flat.getMessage().endsWith("dlq.yaml:6:30: unknown key 'topic' in dead_letter; a dead-letter " +
            "queue is a connector like a sink: its options go under 'config:', e.g. dead_letter: {type: kafka, " +
            "config: {topic: ...}} (see ./run.sh connectors)"), flat.getMessage());
        final ConfigException path = assertThrows(ConfigException.class, () -> new PipelinePlanner(new Connectors())
            .plan(new PipelineConfigLoader(Map.of()).load(pipeline("{type: generator, config: {events: 10}}",
            "{type: kafka, config: {path: x.jsonl}}"))));
        assertTrue(path.getMessage().endsWith("dlq.yaml:6:39: dead_letter 'kafka': unknown key 'path' (known: topic, " +
            "brokers, properties)"), path.getMessage());
    }
}

package dev.dataforge.connectors.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.codec.Field;
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
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka sink against a real broker: committed batches and their checkpoints are visible to read_committed
 * consumers, aborted ones are not, and a whole pipeline delivers every event once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaSinkTest
{
    private static EmbeddedKafka kafka;
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private final RecordLayout layout = SbeLayouts.userEvent();

    private Sink sink(final String topic) throws Exception
    {
        final KafkaSinkFactory factory = new KafkaSinkFactory();
        return factory.create(new ConnectorContext("kafka-test", layout, ConfigValues.defaults(factory.spec(),
            Map.of("brokers", kafka.bootstrapServers(), "topic", topic, "key", "event.user_id",
                "checkpoint_topic", topic + "-checkpoints")), dir));
    }

    private void event(final UnsafeBuffer slot, final long id)
    {
        for (final Field f : layout.fields())
        {
            f.putNull(slot, 0);
        }
        layout.field("event_id").putLong(slot, 0, id);
        layout.field("event_time").putLong(slot, 0, id);
        layout.field("user_id").putLong(slot, 0, id % 7);
        layout.field("type").putString(slot, 0, "click".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void committedBatchesAndCheckpointsAreVisibleAndAbortedOnesAreNot() throws Exception
    {
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[512]);
        try (Sink sink = sink("t1"))
        {
            sink.open();
            for (int i = 1; i <= 100; i++)
            {
                event(slot, i);
                sink.append(slot, 0);
            }
            sink.commit(List.of(new Checkpoint("kafka-test", "generator", 0, "", 99, -1, 0)));
            for (int i = 101; i <= 150; i++)
            {
                event(slot, i);
                sink.append(slot, 0);
            }
            sink.abort();
            assertEquals(List.of(new Checkpoint("kafka-test", "generator", 0, "", 99, -1, 0)),
                sink.readCheckpoints("kafka-test"));
        }
        final List<ConsumerRecord<byte[], byte[]>> records = TestTopics.readCommitted(kafka.bootstrapServers(), "t1");
        assertEquals(100, records.size(), "only the committed batch");
        final JsonNode first = JSON.readTree(records.get(0).value());
        assertEquals(first.get("user_id").asText(), new String(records.get(0).key(), StandardCharsets.UTF_8));
        assertEquals("click", first.get("type").asText());
    }

    @Test
    void aPipelineDeliversEveryEventOnceWithItsCheckpoint() throws Exception
    {
        final Path file = dir.resolve("kafka.yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: kafka-test\n" +
            "  source: {type: generator, config: {seed: 4, events: 20000}}\n" +
            "  sink:\n" +
            "    type: kafka\n" +
            "    config: {brokers: '" + kafka.bootstrapServers() + "', topic: t2, key: event.user_id, " +
            "checkpoint_topic: t2-checkpoints}\n" +
            "    batch: {max_events: 2000}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        final RunResult r = new Pipeline(new PipelinePlanner(new Connectors()).plan(
            new PipelineConfigLoader(Map.of()).load(file)), RunOptions.unbounded()).run();
        assertNull(r.error());
        assertEquals(20000, r.delivered());
        final Set<Long> ids = new HashSet<>();
        for (final ConsumerRecord<byte[], byte[]> rec : TestTopics.readCommitted(kafka.bootstrapServers(), "t2"))
        {
            assertTrue(ids.add(JSON.readTree(rec.value()).get("event_id").asLong()), "duplicate");
        }
        assertEquals(20000, ids.size());
        try (Sink sink = sink("t2"))
        {
            sink.open();
            assertEquals(19999, sink.readCheckpoints("kafka-test").get(0).offset());
        }
    }

    /**
     * The contract's poison row, the Kafka way: a record larger than the producer's max.request.size is refused by
     * itself; the sink splits its batch until it is alone, dead-letters it with Kafka's message, and the rest of
     * the batch commits, once.
     */
    @Test
    void aRecordTooLargeIsDeadLetteredWhileTheRestOfItsBatchCommits() throws Exception
    {
        // sizes as the producer estimates them; the limit leaves about 1% of the events above it
        final JsonRecordWriter writer = new JsonRecordWriter(layout);
        final Map<Long, Integer> size = new java.util.HashMap<>();
        GeneratedEvents.forEach(GeneratorSettings.defaults(9, 0, 20_000), (event, base) ->
        {
            final byte[] value = java.util.Arrays.copyOf(writer.array(), writer.write(event, base));
            final Field user = layout.field("user_id");
            final byte[] key = user.isNull(event, base) ? null : Long.toString(user.getLong(event, base))
                .getBytes(StandardCharsets.UTF_8);
            size.put(layout.field("event_id").getLong(event, base), org.apache.kafka.common.record.internal
                .AbstractRecords.estimateSizeInBytesUpperBound(org.apache.kafka.common.record.internal.RecordBatch
                .CURRENT_MAGIC_VALUE, org.apache.kafka.common.record.internal.CompressionType.NONE, key, value,
                new org.apache.kafka.common.header.Header[0]));
        });
        final int[] sorted = size.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        final int limit = sorted[sorted.length * 997 / 1000];
        final Set<Long> tooLarge = new HashSet<>();
        size.forEach((id, n) -> { if (n > limit) { tooLarge.add(id); } });
        assertTrue(tooLarge.size() > 10 && tooLarge.size() < 1000, "poison rows: " + tooLarge.size());

        final Path file = dir.resolve("poison.yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: kafka-poison\n" +
            "  source: {type: generator, config: {seed: 9, events: 20000}}\n" +
            "  sink:\n" +
            "    type: kafka\n" +
            "    config: {brokers: '" + kafka.bootstrapServers() + "', topic: poison, key: event.user_id, " +
            "checkpoint_topic: poison-checkpoints, properties: {max.request.size: '" + limit + "'}}\n" +
            "    batch: {max_events: 1000}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
            "  dead_letter: {config: {path: poison-dlq.jsonl}}\n");
        final RunResult r = new Pipeline(new PipelinePlanner(new Connectors()).plan(
            new PipelineConfigLoader(Map.of()).load(file)), RunOptions.unbounded()).run();
        assertNull(r.error(), String.valueOf(r.error()));
        final Set<Long> dead = new HashSet<>();
        for (final String line : Files.readAllLines(dir.resolve("poison-dlq.jsonl")))
        {
            final JsonNode entry = JSON.readTree(line);
            assertEquals("sink", entry.get("stage").asText());
            assertTrue(entry.get("reason").asText().startsWith("rejected by the sink: ") &&
                entry.get("reason").asText().contains("max.request.size"), line);
            dead.add(entry.get("event").get("event_id").asLong());
        }
        assertEquals(tooLarge, dead, "exactly the records over the limit");
        final Set<Long> written = new HashSet<>();
        for (final ConsumerRecord<byte[], byte[]> rec : TestTopics.readCommitted(kafka.bootstrapServers(), "poison"))
        {
            final long id = JSON.readTree(rec.value()).get("event_id").asLong();
            assertTrue(written.add(id), "event " + id + " written twice");
            assertTrue(!tooLarge.contains(id));
        }
        assertEquals(20_000 - tooLarge.size(), written.size());
        assertEquals(written.size(), r.delivered());
    }

    /**
     * The contract's killed connection, the Kafka way: every connection of the sink's producer (and of everything
     * else talking to the broker) is cut three times while a pipeline writes; it goes on without loss or
     * duplicates, and its last checkpoint is the last event.
     */
    @Test
    void cutConnectionsAreRetriedWithoutLossOrDuplicates() throws Exception
    {
        final int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0))
        {
            port = free.getLocalPort();
        }
        try (EmbeddedKafka cut = new EmbeddedKafka(null, port))
        {
            cut.createTopic("cut", 3);
            final Path file = dir.resolve("cut.yaml");
            Files.writeString(file, "pipeline:\n" +
                "  name: kafka-cut\n" +
                "  source: {type: generator, config: {seed: 5, events: 200000, rate: 50000}}\n" +
                "  sink:\n" +
                "    type: kafka\n" +
                "    config: {brokers: 'localhost:" + port + "', topic: cut, key: event.user_id, " +
                "checkpoint_topic: cut-checkpoints}\n" +
                "    batch: {max_events: 2000}\n" +
                "    retry: {max_attempts: 10, initial_backoff: 50ms, max_backoff: 1s}\n" +
                "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
            final Pipeline pipeline = new Pipeline(new PipelinePlanner(new Connectors()).plan(
                new PipelineConfigLoader(Map.of()).load(file)), RunOptions.unbounded());
            final java.util.concurrent.CompletableFuture<RunResult> run =
                java.util.concurrent.CompletableFuture.supplyAsync(() ->
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
            int cuts = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (long next = 20_000; cuts < 3 && !run.isDone(); )
            {
                assertTrue(System.nanoTime() < deadline, "the pipeline made no progress");
                if (pipeline.metrics().delivered() >= next)
                {
                    if (cut.cutClientConnections() > 0)
                    {
                        cuts++;
                    }
                    next += 50_000;
                }
                Thread.sleep(5);
            }
            final RunResult r = run.get(180, TimeUnit.SECONDS);
            assertNull(r.error(), String.valueOf(r.error()));
            assertEquals(3, cuts, "connections cut while the pipeline ran");
            assertEquals(200_000, r.delivered());
            final Set<Long> ids = new HashSet<>();
            for (final ConsumerRecord<byte[], byte[]> rec : TestTopics.readCommitted("localhost:" + port, "cut"))
            {
                assertTrue(ids.add(JSON.readTree(rec.value()).get("event_id").asLong()), "written twice");
            }
            assertEquals(200_000, ids.size());
            final KafkaSinkFactory factory = new KafkaSinkFactory();
            try (Sink sink = factory.create(new ConnectorContext("kafka-cut", layout, ConfigValues.defaults(
                factory.spec(), Map.of("brokers", "localhost:" + port, "topic", "cut", "checkpoint_topic",
                "cut-checkpoints")), dir)))
            {
                sink.open();
                assertEquals(199_999, sink.readCheckpoints("kafka-cut").get(0).offset());
            }
        }
    }
}

package dev.dataforge.connectors.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.lookup.LookupException;
import dev.dataforge.api.lookup.LookupFactory;
import dev.dataforge.api.lookup.LookupRows;
import dev.dataforge.codec.FieldType;
import dev.dataforge.connectors.kafka.embedded.EmbeddedKafka;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.config.YamlTree;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.processing.lookup.LookupTable;
import dev.dataforge.core.processing.lookup.LookupTableBuilder;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code kafka} lookup against a real broker: a compacted topic read whole at start (the last value of a key wins,
 * a tombstone deletes it), then followed while the pipeline runs, and clear errors for what cannot be read.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaLookupTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TIERS = {"gold", "silver", "bronze"};

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

    private static void compactedTopic(final String topic, final int partitions) throws Exception
    {
        final Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        KafkaTopics.createUnlessExists(p, new NewTopic(topic, partitions, (short)1).configs(Map.of(
            "cleanup.policy", "compact")));
    }

    /** Produces key/value pairs in order (a null value: a tombstone; a null key: no key) and waits for them. */
    private static void produce(final String topic, final List<String[]> records) throws Exception
    {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestTopics.producer(
            kafka.bootstrapServers())))
        {
            final List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (final String[] r : records)
            {
                sent.add(producer.send(new ProducerRecord<>(topic, bytes(r[0]), bytes(r[1]))));
            }
            producer.flush();
            for (final java.util.concurrent.Future<?> f : sent)
            {
                f.get(); // every record written
            }
        }
    }

    private static byte[] bytes(final String s)
    {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String[] record(final String key, final String value)
    {
        return new String[] {key, value};
    }

    private static String profile(final int user, final String tier)
    {
        return "{\"tier\": \"" + tier + "\", \"lifetime_value\": " + user + ".25, \"vip\": " + (user % 2 == 0) +
            ", \"tags\": [\"a\", {\"b\": 1}], \"nick\": null}";
    }

    private ConfigValues config(final String yaml)
    {
        return new KafkaLookupFactory().spec().bind(YamlTree.parse("{brokers: '" + kafka.bootstrapServers() +
            "', " + yaml + "}", "p.yaml", Map.of()), "lookup 'p'", dir);
    }

    private KafkaLookupSource open(final String yaml) throws Exception
    {
        return new KafkaLookupFactory().open("p", config(yaml), dir);
    }

    /** @return key -> column -> value. */
    private static Map<String, Map<String, String>> byKey(final LookupRows rows)
    {
        final int key = rows.columns().indexOf(rows.key());
        final Map<String, Map<String, String>> out = new HashMap<>();
        for (int r = 0; r < rows.size(); r++)
        {
            final Map<String, String> row = new HashMap<>();
            for (int c = 0; c < rows.columns().size(); c++)
            {
                row.put(rows.columns().get(c), rows.value(r, c));
            }
            assertNull(out.put(rows.value(r, key), row), "one row per key");
        }
        return out;
    }

    @Test
    void theFactoryIsFoundAsAService()
    {
        assertTrue(ServiceLoader.load(LookupFactory.class).stream().anyMatch(p -> p.type() ==
            KafkaLookupFactory.class), "listed in META-INF/services");
    }

    @Test
    void readsTheWholeTopicAtStartWhereTheLastValueOfAKeyWinsAndATombstoneDeletesIt() throws Exception
    {
        compactedTopic("profiles-initial", 3);
        final List<String[]> records = new ArrayList<>();
        for (int u = 1; u <= 1_000; u++)
        {
            records.add(record(Integer.toString(u), profile(u, TIERS[u % 3])));
        }
        for (int u = 1; u <= 100; u++)
        {
            records.add(record(Integer.toString(u), profile(u, "platinum")));
        }
        records.add(record("7", null)); // deleted
        records.add(record("5", "{\"user_id\": 99999, \"tier\": \"gold\"}")); // the record key wins
        records.add(record("8", "[1, 2]")); // not an object: skipped, 8 keeps its row
        records.add(record("9", "not json")); // skipped
        records.add(record("10", "{\"tier\": \"\", \"country\": \"NL\"}")); // a field first seen later in the read
        produce("profiles-initial", records);

        try (KafkaLookupSource source = open("topic: profiles-initial, key: user_id"))
        {
            assertTrue(source.live());
            assertEquals("topic profiles-initial on " + kafka.bootstrapServers() + ", kept current (refresh 1s)",
                source.describe());
            assertEquals(2, source.skipped());
            final LookupRows rows = source.initial();
            assertEquals("user_id", rows.key());
            assertEquals(List.of("user_id", "tier", "lifetime_value", "vip", "tags", "nick", "country"),
                rows.columns());
            assertTrue(rows.isText(rows.columns().indexOf("tier")));
            assertTrue(rows.isText(rows.columns().indexOf("tags")), "nested values are JSON text");
            assertFalse(rows.isText(rows.columns().indexOf("user_id")), "the record key is not a JSON string");
            assertFalse(rows.isText(rows.columns().indexOf("lifetime_value")));
            final Map<String, Map<String, String>> byKey = byKey(rows);
            assertEquals(999, byKey.size());
            assertNull(byKey.get("7"), "deleted by its tombstone");
            assertEquals("platinum", byKey.get("1").get("tier"));
            assertEquals("platinum", byKey.get("100").get("tier"));
            assertEquals(TIERS[101 % 3], byKey.get("101").get("tier"));
            assertEquals("1000.25", byKey.get("1000").get("lifetime_value"));
            assertEquals("true", byKey.get("1000").get("vip"));
            assertEquals("[\"a\",{\"b\":1}]", byKey.get("1000").get("tags"));
            assertNull(byKey.get("1000").get("nick"));
            assertNull(byKey.get("1000").get("country"));
            assertEquals("5", byKey.get("5").get("user_id"));
            assertEquals("gold", byKey.get("5").get("tier"));
            assertNull(byKey.get("5").get("lifetime_value"), "the last value is the whole row");
            assertEquals("platinum", byKey.get("8").get("tier"), "a bad record leaves the key's row");
            assertEquals("platinum", byKey.get("9").get("tier"));
            assertEquals("NL", byKey.get("10").get("country"));
            assertNull(byKey.get("10").get("tier"), "an empty string is NULL, as in the file lookup");

            // and the engine takes it: key typed long, as event.user_id
            final LookupTable table = LookupTableBuilder.buildLive("p", rows);
            assertEquals(999, table.size());
            assertEquals(FieldType.LONG, table.keyColumn().type());
        }
        assertEquals(999, new KafkaLookupFactory().load("p", config("topic: profiles-initial, key: user_id"), dir)
            .size(), "load: open, initial, close");
    }

    /** A compacted topic refuses records without a key; another topic may hold them: they are skipped. */
    @Test
    void aRecordWithoutAKeyIsSkippedAndCounted() throws Exception
    {
        kafka.createTopic("profiles-keyless", 1);
        produce("profiles-keyless", List.of(record(null, "{\"tier\": \"orphan\"}"), record("", "{\"tier\": \"x\"}"),
            record("1", "{\"tier\": \"gold\"}")));
        try (KafkaLookupSource source = open("topic: profiles-keyless, key: user_id"))
        {
            assertEquals(2, source.skipped());
            assertEquals(Map.of("1", Map.of("user_id", "1", "tier", "gold")), byKey(source.initial()));
        }
    }

    @Test
    void whileRunningAnUpdateAndATombstoneComeInANewVersion() throws Exception
    {
        compactedTopic("profiles-live", 3);
        final List<String[]> records = new ArrayList<>();
        for (int u = 1; u <= 50; u++)
        {
            records.add(record(Integer.toString(u), profile(u, TIERS[u % 3])));
        }
        produce("profiles-live", records);
        try (KafkaLookupSource source = open("topic: profiles-live, key: user_id, refresh: 200ms, " +
            "columns: {tier: string(16)}"))
        {
            final LookupRows initial = source.initial();
            assertEquals(50, initial.size());
            assertEquals(initial.columns(), source.initial().columns());
            assertNull(source.next(Duration.ofMillis(100)), "nothing changed");

            produce("profiles-live", List.of(record("3", "{\"tier\": \"diamond\", \"late_field\": 1}"),
                record("4", null)));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Map<String, Map<String, String>> now = byKey(initial);
            LookupRows version = null;
            while (!"diamond".equals(now.get("3").get("tier")) || now.containsKey("4"))
            {
                assertTrue(System.nanoTime() < deadline, "no version with the update and the tombstone within 60 s");
                final LookupRows next = source.next(Duration.ofMillis(200));
                if (next != null)
                {
                    assertNotSame(version, next, "a fresh object each time");
                    assertNotSame(initial, next);
                    version = next;
                    now = byKey(next);
                }
            }
            assertNotNull(version);
            assertEquals(49, version.size());
            assertEquals("user_id", version.key());
            assertEquals(initial.columns(), version.columns(), "a field first seen later is left out");
            assertEquals(FieldType.STRING, version.declared().get("tier").type(), "keyed as the first");
            assertEquals(TIERS[5 % 3], now.get("5").get("tier"), "the others unchanged");
            assertEquals(50, initial.size(), "an earlier version is not changed");

            // the engine stops the refresh thread by interrupting it
            Thread.currentThread().interrupt();
            try
            {
                assertThrows(InterruptedException.class, () -> source.next(Duration.ofSeconds(5)));
            }
            finally
            {
                Thread.interrupted();
            }
        }
    }

    /**
     * A consumer whose brokers are gone polls nothing and reports nothing: after a silence the source asks for the
     * end offsets, so that the engine hears the lookup cannot be refreshed (and keeps its table, and says so).
     */
    @Test
    void brokersThatAreGoneFailTheRefreshInsteadOfSilence() throws Exception
    {
        final EmbeddedKafka own = new EmbeddedKafka();
        boolean closed = false;
        try
        {
            final Properties p = new Properties();
            p.put("bootstrap.servers", own.bootstrapServers());
            KafkaTopics.createUnlessExists(p, new NewTopic("profiles-gone", 1, (short)1).configs(Map.of(
                "cleanup.policy", "compact")));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestTopics.producer(
                own.bootstrapServers())))
            {
                producer.send(new ProducerRecord<>("profiles-gone", bytes("1"), bytes(profile(1, "gold")))).get();
            }
            final ConfigValues config = new KafkaLookupFactory().spec().bind(YamlTree.parse("{brokers: '" +
                own.bootstrapServers() + "', topic: profiles-gone, key: user_id, refresh: 100ms}", "p.yaml",
                Map.of()), "lookup 'p'", dir);
            try (KafkaLookupSource source = new KafkaLookupFactory().open("p", config, dir))
            {
                assertEquals(1, source.initial().size());
                own.close();
                closed = true;
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                Exception failed = null;
                while (failed == null)
                {
                    assertTrue(System.nanoTime() < deadline, "the refresh never failed with the brokers gone");
                    try
                    {
                        source.next(Duration.ofMillis(500));
                    }
                    catch (final IllegalStateException e)
                    {
                        failed = e;
                    }
                }
                assertTrue(failed.getMessage().contains("topic profiles-gone: the brokers did not answer"),
                    failed.getMessage());
            }
        }
        finally
        {
            if (!closed)
            {
                own.close();
            }
        }
    }

    @Test
    void aTopicThatDoesNotExistIsAClearError() throws Exception
    {
        final LookupException e = assertThrows(LookupException.class, () -> open("topic: no-such-profiles, " +
            "key: user_id"));
        assertTrue(e.getMessage().contains("topic no-such-profiles"), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains(kafka.bootstrapServers()), e.getMessage());

        final ConfigException c = assertThrows(ConfigException.class, () -> open("topic: no-such-profiles, " +
            "key: user_id, required: false, columns: {tier: string(8)}"));
        assertTrue(c.getMessage().contains("'columns' must declare all its columns") &&
            c.getMessage().contains("the key 'user_id' included"), c.getMessage());
    }

    @Test
    void notRequiredStartsEmptyWithTheDeclaredColumnsAndReadsTheTopicOnceItExists() throws Exception
    {
        try (KafkaLookupSource source = open("topic: profiles-later, key: user_id, required: false, " +
            "refresh: 100ms, columns: {user_id: long, tier: string(8)}"))
        {
            final LookupRows initial = source.initial();
            assertEquals(0, initial.size());
            assertEquals(List.of("user_id", "tier"), initial.columns());
            assertEquals(0, LookupTableBuilder.buildLive("p", initial).size(), "the engine takes the empty table");
            assertThrows(LookupException.class, () -> source.next(Duration.ofMillis(100)), "still not there");

            compactedTopic("profiles-later", 2);
            produce("profiles-later", List.of(record("1", "{\"tier\": \"gold\", \"other\": 3}"),
                record("2", "{\"tier\": \"silver\"}")));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            LookupRows version = null;
            while (version == null || version.size() < 2)
            {
                assertTrue(System.nanoTime() < deadline, "the topic was never read");
                try
                {
                    final LookupRows next = source.next(Duration.ofMillis(200));
                    version = next != null ? next : version;
                }
                catch (final LookupException notYet)
                {
                    assertTrue(notYet.getMessage().contains("does not exist"), notYet.getMessage());
                }
            }
            assertEquals(List.of("user_id", "tier"), version.columns());
            assertEquals("gold", byKey(version).get("1").get("tier"));
        }
    }

    /** A generator's events enriched from the topic: a profile changed on the topic reaches the events. */
    @Test
    void aRunningPipelineEnrichesWithAProfileChangedOnTheTopic() throws Exception
    {
        compactedTopic("profiles-e2e", 3);
        final List<String[]> records = new ArrayList<>();
        for (int u = 1; u <= 100; u++)
        {
            records.add(record(Integer.toString(u), "{\"tier\": \"tier-" + u + "\"}"));
        }
        produce("profiles-e2e", records);
        final Path file = dir.resolve("e2e.yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: kafka-lookup\n" +
            "  source: {type: generator, config: {seed: 1, events: 0, rate: 2000, users: 100}}\n" +
            "  transforms:\n" +
            "    - {type: enrich, lookup: profiles, key: event.user_id}\n" +
            "  sink: {type: file, config: {path: out.jsonl}}\n" +
            "  lookups:\n" +
            "    profiles: {type: kafka, config: {brokers: '" + kafka.bootstrapServers() + "', topic: " +
            "profiles-e2e, key: user_id, refresh: 200ms}}\n" +
            "  runtime: {ring_size: 1024}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
            "  dead_letter: {config: {path: dlq.jsonl}}\n");
        final Pipeline pipeline = new Pipeline(new PipelinePlanner(new Connectors()).plan(
            new PipelineConfigLoader(Map.of()).load(file)), RunOptions.unbounded());
        final CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() ->
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
        try
        {
            final Tail out = new Tail(dir.resolve("out.jsonl"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // the table at start
            out.await(e -> e.path("user_id").asLong() == 42 && "tier-42".equals(e.path("tier").asText()), deadline,
                "an event of user 42 enriched with the profile at start");
            produce("profiles-e2e", List.<String[]>of(record("42", "{\"tier\": \"changed-42\"}")));
            out.await(e -> e.path("user_id").asLong() == 42 && "changed-42".equals(e.path("tier").asText()),
                deadline, "an event of user 42 enriched with the changed profile");
            assertFalse(run.isDone(), "still running");
        }
        finally
        {
            pipeline.stop();
        }
        final RunResult r = run.get(30, TimeUnit.SECONDS);
        assertNull(r.error(), String.valueOf(r.error()));
        assertTrue(r.delivered() > 0);
    }

    /** Reads the complete lines a sink appends to a file. */
    private static final class Tail
    {
        private final Path path;
        private long offset;
        private final StringBuilder partial = new StringBuilder();

        Tail(final Path path)
        {
            this.path = path;
        }

        void await(final java.util.function.Predicate<JsonNode> match, final long deadline, final String what)
            throws Exception
        {
            while (true)
            {
                for (final String line : lines())
                {
                    if (match.test(JSON.readTree(line)))
                    {
                        return;
                    }
                }
                assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
                Thread.sleep(50);
            }
        }

        private List<String> lines() throws IOException
        {
            final List<String> out = new ArrayList<>();
            if (!Files.exists(path))
            {
                return out;
            }
            try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r"))
            {
                final long length = f.length();
                if (length <= offset)
                {
                    return out;
                }
                final byte[] bytes = new byte[(int)(length - offset)];
                f.seek(offset);
                f.readFully(bytes);
                offset = length;
                partial.append(new String(bytes, StandardCharsets.UTF_8));
            }
            int start = 0;
            int end;
            while ((end = partial.indexOf("\n", start)) >= 0)
            {
                out.add(partial.substring(start, end));
                start = end + 1;
            }
            partial.delete(0, start);
            return out;
        }
    }
}

package dev.dataforge.connectors.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.PipelineSource;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.Sink;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka in, Kafka out, exactly once: the source's offsets are committed to its consumer group in the sink's
 * transaction (sendOffsetsToTransaction), so output records and input positions move together; a pipeline stopped
 * part way and started again writes every input record exactly once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaExactlyOnceTest
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

    private static Map<TopicPartition, OffsetAndMetadata> groupOffsets(final String group) throws Exception
    {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers())))
        {
            // stable: offsets of a committed transaction, waiting for its markers rather than reading around them
            return new HashMap<>(admin.listConsumerGroupOffsets(group,
                new org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions().requireStable(true))
                .partitionsToOffsetAndMetadata().get());
        }
    }

    /** Waits (60 s at most) until the group's committed offsets satisfy {@code done}, described as {@code what}. */
    private static void awaitOffsets(final String group, final java.util.function.Predicate<Map<TopicPartition,
        OffsetAndMetadata>> done, final String what) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<TopicPartition, OffsetAndMetadata> offsets;
        while (!done.test(offsets = groupOffsets(group)))
        {
            assertTrue(System.nanoTime() < deadline, "committed offsets of " + group + " are " + offsets +
                ", expected " + what);
            Thread.sleep(20);
        }
    }

    private static void awaitOffset(final String group, final TopicPartition tp, final long expected) throws Exception
    {
        awaitOffsets(group, o -> o.get(tp) != null && o.get(tp).offset() == expected, tp + " at " + expected);
    }

    private static void awaitSum(final String group, final long expected) throws Exception
    {
        awaitOffsets(group, o -> sum(o) == expected, "offsets adding up to " + expected);
    }

    private static long sum(final Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    private RunResult run(final RunOptions options) throws Exception
    {
        final Path file = dir.resolve("eos.yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: kafka-eos\n" +
            "  source:\n" +
            "    type: kafka\n" +
            "    config: {brokers: '" + kafka.bootstrapServers() + "', topic: eos-in, group: eos-group}\n" +
            "  transforms:\n" +
            "    - type: filter\n" +
            "      condition: event.type <> 'signup'\n" +
            "  sink:\n" +
            "    type: kafka\n" +
            "    config: {brokers: '" + kafka.bootstrapServers() + "', topic: eos-out, key: event.user_id}\n" +
            "    batch: {max_events: 700}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        return new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(Map.of())
            .load(file)), options).run();
    }

    /**
     * A killed instance leaves its transaction open on the group's offsets until the broker aborts it: the broker
     * does not answer for those partitions meanwhile, which is not the same as their having no offset. An instance
     * started meanwhile must wait for the committed offset, not read the partition from its start (which wrote
     * again every record delivered before the kill: the chaos harness found 9,333 duplicates that way).
     */
    @Test
    void offsetsHeldByAKilledInstancesOpenTransactionAreWaitedForNotReadAsNone() throws Exception
    {
        kafka.createTopic("held-in", 2);
        kafka.createTopic("held-out", 2);
        TestTopics.produceJson(kafka.bootstrapServers(), "held-in", 4_000, 4);
        final TopicPartition p0 = new TopicPartition("held-in", 0);
        final Properties zp = new Properties();
        zp.put("bootstrap.servers", kafka.bootstrapServers());
        zp.put("transactional.id", "held-killed-instance");
        zp.put("transaction.timeout.ms", "3000");
        zp.put("key.serializer", ByteArraySerializer.class.getName());
        zp.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> killed = new KafkaProducer<>(zp))
        {
            killed.initTransactions();
            killed.beginTransaction();
            killed.sendOffsetsToTransaction(Map.of(p0, new OffsetAndMetadata(1_000)),
                new ConsumerGroupMetadata("held-group"));
            killed.commitTransaction();
            awaitOffset("held-group", p0, 1_000);
            killed.beginTransaction();
            killed.sendOffsetsToTransaction(Map.of(p0, new OffsetAndMetadata(1_500)),
                new ConsumerGroupMetadata("held-group"));
            // killed here: the transaction stays open until the broker aborts it after transaction.timeout.ms

            final Path file = dir.resolve("held.yaml");
            Files.writeString(file, "pipeline:\n" +
                "  name: kafka-held\n" +
                "  source:\n" +
                "    type: kafka\n" +
                "    config: {brokers: '" + kafka.bootstrapServers() + "', topic: held-in, group: held-group}\n" +
                "  sink:\n" +
                "    type: kafka\n" +
                "    config: {brokers: '" + kafka.bootstrapServers() + "', topic: held-out, key: event.user_id}\n" +
                "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
            final RunResult r = new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(
                Map.of()).load(file)), RunOptions.unbounded().withIdleExit(Duration.ofSeconds(3))).run();
            assertNull(r.error(), String.valueOf(r.error()));
            final long p0Records = r.sourcePartitions().get(0);
            final long p1Records = r.sourcePartitions().get(1);
            assertEquals(4_000 - 1_000, p0Records + p1Records, "partition 0 resumed after its committed offset " +
                "1000, not from its start: " + r.sourcePartitions());
            assertEquals(r.eventsIn(), TestTopics.readCommitted(kafka.bootstrapServers(), "held-out").size());
        }
    }

    @Test
    void aPipelineStoppedPartWayAndStartedAgainWritesEveryRecordExactlyOnce() throws Exception
    {
        kafka.createTopic("eos-in", 3);
        kafka.createTopic("eos-out", 3);
        TestTopics.produceJson(kafka.bootstrapServers(), "eos-in", 30_000, 3);

        final RunResult first = run(RunOptions.unbounded().withMaxEvents(12_000));
        assertNull(first.error(), String.valueOf(first.error()));
        // what the first run committed: its output and its input positions, together
        assertEquals(12_000, first.eventsIn());
        awaitSum("eos-group", 12_000); // offsets of every record the first run read, no more
        final List<ConsumerRecord<byte[], byte[]>> afterFirst = TestTopics.readCommitted(kafka.bootstrapServers(), "eos-out");
        assertEquals(first.delivered(), afterFirst.size());

        final RunResult second = run(RunOptions.unbounded().withIdleExit(Duration.ofSeconds(3)));
        assertNull(second.error(), String.valueOf(second.error()));
        awaitSum("eos-group", 30_000); // every input record's offset committed

        // the oracle: every generated event that passes the filter, once
        final Set<Long> expected = new HashSet<>();
        final RecordLayout layout = SbeLayouts.userEvent();
        GeneratedEvents.forEach(GeneratorSettings.defaults(3, 0, 30_000), (event, base) ->
        {
            if (!"signup".equals(layout.field("type").getString(event, base)))
            {
                expected.add(layout.field("event_id").getLong(event, base));
            }
        });
        final Set<Long> written = new HashSet<>();
        for (final ConsumerRecord<byte[], byte[]> r : TestTopics.readCommitted(kafka.bootstrapServers(), "eos-out"))
        {
            final long id = JSON.readTree(r.value()).get("event_id").asLong();
            assertTrue(written.add(id), "event " + id + " written twice");
        }
        assertEquals(expected, written);
        assertEquals(expected.size(), first.delivered() + second.delivered());
    }

    @Test
    void sourceOffsetsCommitWithTheBatchAndAnAbortedBatchCommitsNone() throws Exception
    {
        kafka.createTopic("eos-unit-in", 1);
        TestTopics.produceJson(kafka.bootstrapServers(), "eos-unit-in", 10, 3);
        final Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("group.id", "eos-unit");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p))
        {
            consumer.subscribe(List.of("eos-unit-in"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline)
            {
                consumer.poll(Duration.ofMillis(100));
            }
            assertTrue(!consumer.assignment().isEmpty(), "no assignment");
            // the engine hands the sink the pipeline's source; here, one that offers this consumer's group
            final ConsumerGroupMetadata metadata = consumer.groupMetadata();
            final KafkaSourceGroup group = new KafkaSourceGroup()
            {
                @Override
                public String brokers()
                {
                    return kafka.bootstrapServers();
                }

                @Override
                public TopicPartition topicPartition(final int partition)
                {
                    return new TopicPartition("eos-unit-in", partition);
                }

                @Override
                public ConsumerGroupMetadata groupMetadata()
                {
                    return metadata;
                }
            };
            final PipelineSource source = new PipelineSource()
            {
                @Override
                public String type()
                {
                    return "kafka";
                }

                @Override
                public ConfigValues config()
                {
                    return null;
                }

                @Override
                public <T> T feature(final Class<T> type)
                {
                    return type.isInstance(group) ? type.cast(group) : null;
                }
            };
            try (Sink sink = sink("eos-unit-out", "eos-unit", source))
            {
                sink.open();
                final UnsafeBuffer slot = new UnsafeBuffer(new byte[512]);
                final RecordLayout layout = SbeLayouts.userEvent();
                layout.field("event_id").putLong(slot, 0, 1);
                layout.field("event_time").putLong(slot, 0, 1);
                sink.append(slot, 0);
                sink.commit(List.of(new Checkpoint("eos-unit", "eos-unit-in", 0, "", 4, -1, 0)));
                final TopicPartition tp = new TopicPartition("eos-unit-in", 0);
                awaitOffset("eos-unit", tp, 5); // the next offset after 4

                sink.append(slot, 0);
                sink.abort();
                sink.append(slot, 0);
                sink.abort();
                assertEquals(5, groupOffsets("eos-unit").get(tp).offset(), "aborted batches commit no offset");
                assertEquals(1, TestTopics.readCommitted(kafka.bootstrapServers(), "eos-unit-out").size());

                sink.append(slot, 0);
                sink.commit(List.of(new Checkpoint("eos-unit", "eos-unit-in", 0, "", 9, -1, 0)));
                awaitOffset("eos-unit", tp, 10);
                assertEquals(2, TestTopics.readCommitted(kafka.bootstrapServers(), "eos-unit-out").size());
            }
        }
    }

    private Sink sink(final String topic, final String pipeline, final PipelineSource source) throws Exception
    {
        final KafkaSinkFactory factory = new KafkaSinkFactory();
        final ConfigValues values = ConfigValues.defaults(factory.spec(), Map.of("brokers", kafka.bootstrapServers(),
            "topic", topic, "checkpoint_topic", topic + "-checkpoints"));
        return factory.create(new ConnectorContext(pipeline, SbeLayouts.userEvent(), values, dir, source));
    }

    /** A source handing the sink a consumer group's metadata as it was when the test took it. */
    private static PipelineSource groupOf(final ConsumerGroupMetadata metadata, final String topic)
    {
        final KafkaSourceGroup group = new KafkaSourceGroup()
        {
            @Override
            public String brokers()
            {
                return kafka.bootstrapServers();
            }

            @Override
            public TopicPartition topicPartition(final int partition)
            {
                return new TopicPartition(topic, partition);
            }

            @Override
            public ConsumerGroupMetadata groupMetadata()
            {
                return metadata;
            }
        };
        return new PipelineSource()
        {
            @Override
            public String type()
            {
                return "kafka";
            }

            @Override
            public ConfigValues config()
            {
                return null;
            }

            @Override
            public <T> T feature(final Class<T> type)
            {
                return type.isInstance(group) ? type.cast(group) : null;
            }
        };
    }

    private static Properties member(final String group)
    {
        final Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("group.id", group);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.put("partition.assignment.strategy",
            org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        return p;
    }

    /**
     * A zombie: member A's sink holds a batch when a rebalance moves a partition to member B. A's commit, still
     * under the old group generation, is refused and leaves nothing behind (no record, no offset); the stage takes
     * the refusal as transient, and the batch goes again, without the moved partition, once A's source has heard
     * of the rebalance.
     */
    @Test
    void aZombiesCommitUnderAnOldGenerationIsRefusedAndLeavesNothing() throws Exception
    {
        kafka.createTopic("zombie-in", 2);
        kafka.createTopic("zombie-out", 1);
        try (KafkaConsumer<byte[], byte[]> a = new KafkaConsumer<>(member("zombie"));
            KafkaConsumer<byte[], byte[]> b = new KafkaConsumer<>(member("zombie")))
        {
            a.subscribe(List.of("zombie-in"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (a.assignment().size() < 2 && System.nanoTime() < deadline)
            {
                a.poll(Duration.ofMillis(100));
            }
            assertEquals(2, a.assignment().size());
            final ConsumerGroupMetadata before = a.groupMetadata();
            try (Sink zombie = sink("zombie-out", "zombie", groupOf(before, "zombie-in")))
            {
                zombie.open();
                final UnsafeBuffer slot = new UnsafeBuffer(new byte[512]);
                final RecordLayout layout = SbeLayouts.userEvent();
                layout.field("event_id").putLong(slot, 0, 1);
                layout.field("event_time").putLong(slot, 0, 1);
                zombie.append(slot, 0);

                b.subscribe(List.of("zombie-in"));
                while (b.assignment().isEmpty() && System.nanoTime() < deadline)
                {
                    a.poll(Duration.ofMillis(50));
                    b.poll(Duration.ofMillis(50));
                }
                assertEquals(1, b.assignment().size(), "a partition moved to B");
                assertTrue(a.groupMetadata().generationId() > before.generationId());

                final Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () ->
                    zombie.commit(List.of(new Checkpoint("zombie", "zombie-in", 0, "", 9, -1, 0),
                        new Checkpoint("zombie", "zombie-in", 1, "", 9, -1, 0))));
                assertEquals(Sink.Failure.TRANSIENT, zombie.classify(refused), String.valueOf(refused));
                zombie.abort();
            }
            assertEquals(0, TestTopics.readCommitted(kafka.bootstrapServers(), "zombie-out").size());
            assertTrue(groupOffsets("zombie").isEmpty(), "no offset committed: " + groupOffsets("zombie"));
        }
    }

    @Test
    void severalTopicsInOneSourceCommitTheirOffsetsExactlyOnceEach() throws Exception
    {
        kafka.createTopic("multi-a", 2);
        kafka.createTopic("multi-b", 2);
        kafka.createTopic("multi-out", 1);
        TestTopics.produceJson(kafka.bootstrapServers(), "multi-a", 3_000, 1);
        TestTopics.produceJson(kafka.bootstrapServers(), "multi-b", 2_000, 2);
        final Path file = dir.resolve("multi.yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: kafka-multi\n" +
            "  source:\n" +
            "    type: kafka\n" +
            "    config: {brokers: '" + kafka.bootstrapServers() + "', topic: [multi-a, multi-b], group: multi}\n" +
            "  sink:\n" +
            "    type: kafka\n" +
            "    config: {brokers: '" + kafka.bootstrapServers() + "', topic: multi-out}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        final RunResult r = new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(Map.of())
            .load(file)), RunOptions.unbounded().withIdleExit(Duration.ofSeconds(3))).run();
        assertNull(r.error(), String.valueOf(r.error()));
        assertEquals(5_000, r.delivered());
        assertEquals(java.util.Set.of(0, 1, 1000, 1001), r.sourcePartitions().keySet(), "topic index * 1000 + " +
            "partition");
        awaitSum("multi", 5_000);
        final Map<TopicPartition, OffsetAndMetadata> offsets = groupOffsets("multi");
        assertEquals(3_000, offsets.get(new TopicPartition("multi-a", 0)).offset() +
            offsets.get(new TopicPartition("multi-a", 1)).offset());
        assertEquals(2_000, offsets.get(new TopicPartition("multi-b", 0)).offset() +
            offsets.get(new TopicPartition("multi-b", 1)).offset());
        assertEquals(5_000, TestTopics.readCommitted(kafka.bootstrapServers(), "multi-out").size());
    }
}

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
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka source against a real broker: valid JSON and SBE records flow through, malformed ones are
 * dead-lettered with their reason and counted, and per-key (so per-partition) order holds at the sink.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaSourceTest
{
    private static EmbeddedKafka kafka;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[][] MALFORMED = {
        {"{\"event_id\": 1, \"event_time\": 2", "truncated JSON"},
        {"not json at all", "not a JSON object"},
        {"{\"event_id\": \"x\", \"event_time\": 2}", "must be a number"},
        {"{\"event_time\": 2, \"type\": \"click\"}", "missing required field 'event_id'"},
        {"{\"event_id\": 5, \"event_time\": 2, \"page\": \"" + "p".repeat(100) + "\"}", "longer than 64 bytes"},
    };

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

    /** Produces generated events (JSON or SBE), keyed by user, with a malformed record every {@code every}. */
    private static int produce(final String topic, final int events, final int every, final boolean sbe)
        throws Exception
    {
        final RecordLayout layout = SbeLayouts.userEvent();
        final JsonRecordWriter json = new JsonRecordWriter(layout);
        final Properties p = TestTopics.producer(kafka.bootstrapServers());
        final int[] malformed = {0};
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p))
        {
            final int[] n = {0};
            GeneratedEvents.forEach(GeneratorSettings.defaults(8, 0, events), (event, base) ->
            {
                final byte[] key = Long.toString(layout.field("user_id").getLong(event, base) % 200)
                    .getBytes(StandardCharsets.UTF_8);
                final byte[] value;
                if (sbe)
                {
                    value = new byte[layout.recordLength()];
                    event.getBytes(base, value);
                }
                else
                {
                    value = java.util.Arrays.copyOf(json.array(), json.write(event, base));
                }
                producer.send(new ProducerRecord<>(topic, key, value));
                if (every > 0 && ++n[0] % every == 0)
                {
                    final String[] bad = MALFORMED[malformed[0]++ % MALFORMED.length];
                    producer.send(new ProducerRecord<>(topic, key, sbe ? new byte[] {1, 2, 3} :
                        bad[0].getBytes(StandardCharsets.UTF_8)));
                }
            });
            producer.flush();
        }
        return malformed[0];
    }

    private RunResult run(final String topic, final String format, final long records) throws Exception
    {
        return run(topic, format, RunOptions.unbounded().withMaxEvents(records));
    }

    private RunResult run(final String topic, final String format, final RunOptions options) throws Exception
    {
        return run(topic, format, options, null);
    }

    private RunResult run(final String topic, final String format, final RunOptions options,
        final dev.dataforge.api.source.PartitionListener listener) throws Exception
    {
        return run(topic, format, options, listener, "real-time");
    }

    private RunResult run(final String topic, final String format, final RunOptions options,
        final dev.dataforge.api.source.PartitionListener listener, final String mode) throws Exception
    {
        return run(topic, format, options, listener, mode, "    type: file\n    config: {path: " + topic +
            ".jsonl}\n");
    }

    private RunResult run(final String topic, final String format, final RunOptions options,
        final dev.dataforge.api.source.PartitionListener listener, final String mode, final String sink)
        throws Exception
    {
        return run(topic, format, options, listener, mode, sink, "");
    }

    private RunResult run(final String topic, final String format, final RunOptions options,
        final dev.dataforge.api.source.PartitionListener listener, final String mode, final String sink,
        final String sourceConfig) throws Exception
    {
        final Path file = dir.resolve(topic + ".yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: kafka-in\n" +
            "  mode: " + mode + "\n" +
            "  source:\n" +
            "    type: kafka\n" +
            "    config: {brokers: '" + kafka.bootstrapServers() + "', topic: " + topic + ", group: g-" + topic +
            ", format: " + format + sourceConfig + "}\n" +
            "  transforms:\n" +
            "    - type: filter\n" +
            "      condition: event.type <> 'signup'\n" +
            "  sink:\n" + sink +
            "  runtime: {ring_size: 1024}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
            "  dead_letter: {config: {path: " + topic + "-dlq.jsonl}}\n");
        final Pipeline pipeline = new Pipeline(new PipelinePlanner(new Connectors()).plan(
            new PipelineConfigLoader(Map.of()).load(file)), options);
        if (listener != null)
        {
            pipeline.onPartitions(listener);
        }
        return pipeline.run();
    }

    @Test
    void theEngineHearsOfAssignmentsAndSetsWherePartitionsStart() throws Exception
    {
        kafka.createTopic("seek-in", 2);
        produce("seek-in", 2_000, 0, false);
        final List<List<Integer>> assigned = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<List<Integer>> revoked = new java.util.concurrent.CopyOnWriteArrayList<>();
        final RunResult r = run("seek-in", "json", RunOptions.unbounded().withIdleExit(java.time.Duration.ofSeconds(
            3)), new dev.dataforge.api.source.PartitionListener()
            {
                @Override
                public void assigned(final java.util.Collection<Integer> partitions, final Seeker seeker)
                {
                    assigned.add(List.copyOf(partitions));
                    seeker.seek(0, 100);
                    seeker.seek(1, 50);
                }

                @Override
                public void revoked(final java.util.Collection<Integer> partitions)
                {
                    revoked.add(List.copyOf(partitions));
                }
            });
        assertNull(r.error(), String.valueOf(r.error()));
        assertEquals(List.of(List.of(0, 1)), assigned);
        assertEquals(List.of(List.of(0, 1)), revoked, "given up when the source closed");
        assertEquals(2_000 - 150, r.eventsIn(), "partition 0 read from offset 100, partition 1 from 50");
        assertEquals(java.util.Set.of(0, 1), r.sourcePartitions().keySet());
    }

    @Test
    void idleExitStopsOnceTheTopicIsDrainedAndCountsPerPartition() throws Exception
    {
        kafka.createTopic("idle-in", 3);
        produce("idle-in", 6_000, 0, false);
        final RunResult r = run("idle-in", "json", RunOptions.unbounded().withIdleExit(java.time.Duration.ofSeconds(8)));
        assertNull(r.error());
        assertTrue(r.endReason().startsWith("idle for"), r.endReason());
        assertEquals(6_000, r.eventsIn());
        assertEquals(3, r.sourcePartitions().size(), r.sourcePartitions().toString());
        assertEquals(6_000, r.sourcePartitions().values().stream().mapToLong(Long::longValue).sum());
    }

    /**
     * The group's committed offsets are a lag hint for standard tools. A partition taken over from a member that was
     * killed before its last hint, with nothing new to deliver, kept that stale hint for ever (the chaos harness's
     * three-instance run waited 240 s on "lag 501"): the new owner now hints the position it recovered.
     */
    @Test
    void aPartitionRecoveredWithNothingNewToDeliverHintsWhereItIs() throws Exception
    {
        kafka.createTopic("hint-in", 2);
        produce("hint-in", 4_000, 0, false);
        final String sink = "    type: duckdb\n    config: {path: '" + dir.resolve("hint.duckdb") + "', table: hints}\n";
        final RunResult first = run("hint-in", "json", RunOptions.unbounded().withIdleExit(java.time.Duration
            .ofSeconds(3)), null, "real-time", sink);
        assertNull(first.error(), String.valueOf(first.error()));
        assertEquals(4_000, first.eventsIn());
        final Properties admin = new Properties();
        admin.put("bootstrap.servers", kafka.bootstrapServers());
        try (org.apache.kafka.clients.admin.Admin a = org.apache.kafka.clients.admin.Admin.create(admin))
        {
            // as a member killed before its last hint leaves them
            a.alterConsumerGroupOffsets("g-hint-in", Map.of(
                new TopicPartition("hint-in", 0), new org.apache.kafka.clients.consumer.OffsetAndMetadata(10),
                new TopicPartition("hint-in", 1), new org.apache.kafka.clients.consumer.OffsetAndMetadata(10)))
                .all().get();
            final RunResult second = run("hint-in", "json", RunOptions.unbounded().withIdleExit(java.time.Duration
                .ofSeconds(3)), null, "real-time", sink);
            assertNull(second.error(), String.valueOf(second.error()));
            assertEquals(0, second.eventsIn(), "the sink's checkpoints say everything was delivered");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long hinted = 0;
            while (hinted != 4_000)
            {
                assertTrue(System.nanoTime() < deadline, "the group's offsets stayed at " + hinted + ", not 4000");
                hinted = 0;
                for (final org.apache.kafka.clients.consumer.OffsetAndMetadata o : a.listConsumerGroupOffsets(
                    "g-hint-in").partitionsToOffsetAndMetadata().get().values())
                {
                    hinted += o.offset();
                }
                Thread.sleep(100);
            }
        }
    }

    /** A consumer in the group of {@code topic}'s pipeline, polling on its own thread until stopped. */
    private static final class OtherMember implements AutoCloseable
    {
        final java.util.Set<TopicPartition> assigned = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private volatile boolean running = true;
        private final Thread thread;

        OtherMember(final String topic)
        {
            final Properties p = new Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            p.put("group.id", "g-" + topic);
            p.put("key.deserializer", ByteArrayDeserializer.class.getName());
            p.put("value.deserializer", ByteArrayDeserializer.class.getName());
            p.put("enable.auto.commit", "false");
            p.put("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
            thread = new Thread(() ->
            {
                try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p))
                {
                    c.subscribe(List.of(topic), new ConsumerRebalanceListener()
                    {
                        @Override
                        public void onPartitionsRevoked(final java.util.Collection<TopicPartition> partitions)
                        {
                            assigned.removeAll(partitions);
                        }

                        @Override
                        public void onPartitionsAssigned(final java.util.Collection<TopicPartition> partitions)
                        {
                            assigned.addAll(partitions);
                        }
                    });
                    while (running)
                    {
                        c.poll(java.time.Duration.ofMillis(100));
                        c.pause(c.assignment()); // holds its partitions, reads nothing
                    }
                }
            }, "other-member");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException
        {
            running = false;
            thread.join();
        }
    }

    private static void await(final java.util.function.BooleanSupplier condition, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    /**
     * A second member joins while the pipeline is stalled with records of all four partitions in hand: it loses two
     * (cooperative rebalance), and every record of the two it keeps is still delivered, none dropped with the
     * revoked ones.
     */
    @Test
    void aRevocationDropsTheRevokedPartitionsRecordsAndNoneOfTheKeptOnes() throws Exception
    {
        kafka.createTopic("revoke-in", 4);
        produce("revoke-in", 20_000, 0, false);
        final java.util.Map<Long, Integer> partitionOf = new java.util.HashMap<>();
        final java.util.Map<Integer, java.util.Set<Long>> passing = new java.util.HashMap<>();
        for (final ConsumerRecord<byte[], byte[]> rec : TestTopics.readCommitted(kafka.bootstrapServers(),
            "revoke-in"))
        {
            final JsonNode e = JSON.readTree(rec.value());
            partitionOf.put(e.get("event_id").asLong(), rec.partition());
            if (!"signup".equals(e.get("type").asText()))
            {
                passing.computeIfAbsent(rec.partition(), p -> new java.util.HashSet<>()).add(e.get("event_id")
                    .asLong());
            }
        }
        final dev.dataforge.core.runtime.GatedSinkFactory.Gate gate = dev.dataforge.core.runtime.GatedSinkFactory
            .gate("revoke");
        gate.permits.drainPermits(); // the sink stalls: the ring fills, the source holds records in hand
        final java.util.Set<Integer> assigned = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.Set<Integer> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.concurrent.CompletableFuture<RunResult> run = java.util.concurrent.CompletableFuture
            .supplyAsync(() ->
            {
                try
                {
                    return run("revoke-in", "json", RunOptions.unbounded().withIdleExit(java.time.Duration
                        .ofSeconds(5)), new dev.dataforge.api.source.PartitionListener()
                        {
                            @Override
                            public void assigned(final java.util.Collection<Integer> partitions, final Seeker s)
                            {
                                assigned.addAll(partitions);
                            }

                            @Override
                            public void revoked(final java.util.Collection<Integer> partitions)
                            {
                                revoked.addAll(partitions);
                            }
                        }, "real-time", "    type: gated\n    config: {gate: revoke}\n");
                }
                catch (final Exception e)
                {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
        await(() -> assigned.size() == 4 && gate.permits.hasQueuedThreads(), "the pipeline to stall");
        try (OtherMember other = new OtherMember("revoke-in"))
        {
            await(() -> !other.assigned.isEmpty(), "the second member's assignment");
            gate.permits.release(Integer.MAX_VALUE / 2);
            final RunResult r = run.get(120, TimeUnit.SECONDS);
            assertNull(r.error(), String.valueOf(r.error()));
            assertTrue(r.countsAddUp(), r.toString());
            final java.util.Set<Integer> kept = new java.util.HashSet<>(assigned);
            kept.removeAll(revoked.stream().filter(p -> other.assigned.contains(new TopicPartition("revoke-in",
                p))).collect(java.util.stream.Collectors.toSet()));
            assertEquals(2, kept.size(), "kept " + kept + ", the other member has " + other.assigned);
            for (final int p : kept)
            {
                final java.util.Set<Long> missing = new java.util.HashSet<>(passing.get(p));
                missing.removeAll(gate.committedIds());
                assertTrue(missing.isEmpty(), missing.size() + " records of kept partition " + p + " dropped");
            }
            for (final long id : gate.committedIds())
            {
                assertTrue(passing.get(partitionOf.get(id)).contains(id));
            }
        }
    }

    /**
     * Partitions revoked and given back while the pipeline is stalled with their records in the ring and in hand: the
     * assignment seeks them again (here to the start: the sink keeps no checkpoints) and the consumer fetches them
     * anew, so neither the events published under the first assignment nor the records polled under it may go on
     * after the second. Every record once.
     */
    @Test
    void partitionsRevokedAndGivenBackWhileStalledDeliverEveryRecordOnce() throws Exception
    {
        kafka.createTopic("regain-in", 4);
        produce("regain-in", 20_000, 0, false);
        final java.util.Set<Long> passing = new java.util.HashSet<>();
        for (final ConsumerRecord<byte[], byte[]> rec : TestTopics.readCommitted(kafka.bootstrapServers(),
            "regain-in"))
        {
            final JsonNode e = JSON.readTree(rec.value());
            if (!"signup".equals(e.get("type").asText()))
            {
                passing.add(e.get("event_id").asLong());
            }
        }
        final dev.dataforge.core.runtime.GatedSinkFactory.Gate gate = dev.dataforge.core.runtime.GatedSinkFactory
            .gate("regain");
        gate.permits.drainPermits();
        final java.util.Set<Integer> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.concurrent.atomic.AtomicInteger revocations = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.CompletableFuture<RunResult> run = java.util.concurrent.CompletableFuture
            .supplyAsync(() ->
            {
                try
                {
                    return run("regain-in", "json", RunOptions.unbounded().withIdleExit(java.time.Duration
                        .ofSeconds(5)), new dev.dataforge.api.source.PartitionListener()
                        {
                            @Override
                            public void assigned(final java.util.Collection<Integer> partitions, final Seeker s)
                            {
                                owned.addAll(partitions);
                            }

                            @Override
                            public void revoked(final java.util.Collection<Integer> partitions)
                            {
                                owned.removeAll(partitions);
                                revocations.incrementAndGet();
                            }
                        }, "real-time", "    type: gated\n    config: {gate: regain}\n",
                        // small fetches: the ring, and what is in hand, hold records of every partition
                        ", properties: {max.partition.fetch.bytes: '4096'}");
                }
                catch (final Exception e)
                {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
        await(() -> owned.size() == 4 && gate.permits.hasQueuedThreads(), "the pipeline to stall");
        try (OtherMember other = new OtherMember("regain-in"))
        {
            await(() -> !other.assigned.isEmpty() && revocations.get() > 0, "the second member's assignment");
        }
        await(() -> owned.size() == 4, "the partitions back, the second member gone");
        gate.permits.release(Integer.MAX_VALUE / 2);
        final RunResult r = run.get(120, TimeUnit.SECONDS);
        assertNull(r.error(), String.valueOf(r.error()));
        assertTrue(r.countsAddUp(), r.toString());
        assertTrue(r.revoked() > 0, "events of the first assignment were dropped: " + r);
        assertEquals(passing, gate.committedIds(), "every passing record");
        assertEquals(gate.committedIds().size(), gate.committed.get(), "no record twice");
    }

    /** With every partition held by another member, the idle clock does not run: the run says it never got one. */
    @Test
    void aRunThatIsNeverAssignedAPartitionSaysSoAndIsNotIdle() throws Exception
    {
        kafka.createTopic("unassigned-in", 1);
        produce("unassigned-in", 100, 0, false);
        try (OtherMember other = new OtherMember("unassigned-in"))
        {
            await(() -> !other.assigned.isEmpty(), "the other member's assignment");
            final long start = System.nanoTime();
            final RunResult r = run("unassigned-in", "json", RunOptions.unbounded().withIdleExit(java.time.Duration
                .ofSeconds(1)).withDuration(java.time.Duration.ofSeconds(6)));
            assertNull(r.error(), String.valueOf(r.error()));
            assertEquals(0, r.eventsIn());
            assertEquals("duration reached (the source was never assigned a partition)", r.endReason());
            assertTrue(System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(5), "not ended by --idle-exit");
        }
    }

    @Test
    void batchModeReadsWhatTheTopicHeldAtStartAndEnds() throws Exception
    {
        kafka.createTopic("batch-in", 3);
        produce("batch-in", 3_000, 0, false);
        // no idle exit, no event limit: the run ends because the source reached the end of every partition
        final RunResult r = run("batch-in", "json", RunOptions.unbounded(), null, "batch");
        assertNull(r.error(), String.valueOf(r.error()));
        assertEquals("source ended", r.endReason());
        assertEquals(3_000, r.eventsIn());
        assertTrue(r.countsAddUp(), r.toString());
        assertEquals(3, r.sourcePartitions().size());
    }

    @Test
    void jsonRecordsFlowAndMalformedOnesAreDeadLetteredWithTheirReason() throws Exception
    {
        kafka.createTopic("json-in", 3);
        final int malformed = produce("json-in", 50_000, 50, false);
        final RunResult r = run("json-in", "json", 50_000 + malformed);
        assertNull(r.error());
        assertTrue(r.countsAddUp(), r.toString());
        assertEquals(malformed, r.deadLetters());
        assertEquals(50_000, r.delivered() + r.filtered());
        final List<String> dead = Files.readAllLines(dir.resolve("json-in-dlq.jsonl"));
        assertEquals(malformed, dead.size());
        final Map<String, Integer> reasons = new HashMap<>();
        for (final String line : dead)
        {
            final JsonNode entry = JSON.readTree(line);
            assertEquals("source", entry.get("stage").asText());
            final String raw = new String(java.util.Base64.getDecoder().decode(entry.get("raw_base64").asText()),
                StandardCharsets.UTF_8);
            for (final String[] bad : MALFORMED)
            {
                if (bad[0].equals(raw))
                {
                    assertTrue(entry.get("reason").asText().contains(bad[1]), line);
                    reasons.merge(bad[1], 1, Integer::sum);
                }
            }
        }
        assertEquals(MALFORMED.length, reasons.size(), "every kind of malformed record was seen: " + reasons);
        assertEquals(malformed, reasons.values().stream().mapToInt(Integer::intValue).sum(), "original bytes kept");

        // per key (so per partition) the events arrive in the order they were produced
        final Map<Long, Long> lastIdPerKey = new HashMap<>();
        for (final String line : Files.readAllLines(dir.resolve("json-in.jsonl")))
        {
            final JsonNode n = JSON.readTree(line);
            final long key = n.get("user_id").asLong() % 200;
            final long id = n.get("event_id").asLong();
            final Long last = lastIdPerKey.put(key, id);
            assertTrue(last == null || last < id, "order broken for key " + key + ": " + last + " then " + id);
        }
    }

    /**
     * Every record size from 1 byte to twice the slot: a generated event's JSON padded with spaces to the size, or
     * cut to it where it is longer (malformed). No size stops the pipeline: each whole record is delivered (or
     * filtered), each cut one dead-lettered with its reason. A record longer than the decoded record but within its
     * slot used to stop the run ("Range [0, 0 + 324) out of bounds for length 323").
     */
    @Test
    void noRecordSizeStopsThePipeline() throws Exception
    {
        final RecordLayout layout = SbeLayouts.userEvent();
        final int slot = new dev.dataforge.core.ring.Ring(64, layout.recordLength()).slotSize();
        final int sizes = 2 * slot;
        kafka.createTopic("sizes-in", 2);
        final JsonRecordWriter json = new JsonRecordWriter(layout);
        final int[] cut = {0};
        final int[] n = {0};
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestTopics.producer(
            kafka.bootstrapServers())))
        {
            GeneratedEvents.forEach(GeneratorSettings.defaults(9, 0, sizes), (event, base) ->
            {
                final int size = ++n[0];
                final byte[] whole = java.util.Arrays.copyOf(json.array(), json.write(event, base));
                final byte[] value = new byte[size];
                if (size >= whole.length)
                {
                    java.util.Arrays.fill(value, (byte)' ');
                    value[0] = '{';
                    System.arraycopy(whole, 1, value, size - whole.length + 1, whole.length - 1);
                }
                else
                {
                    System.arraycopy(whole, 0, value, 0, size);
                    cut[0]++;
                }
                producer.send(new ProducerRecord<>("sizes-in", value));
            });
            producer.flush();
        }
        assertTrue(cut[0] > 0 && cut[0] < sizes, "both kinds: " + cut[0] + " cut of " + sizes);
        final RunResult r = run("sizes-in", "json", sizes);
        assertNull(r.error(), String.valueOf(r.error()));
        assertTrue(r.countsAddUp(), r.toString());
        assertEquals(sizes, r.eventsIn());
        assertEquals(cut[0], r.deadLetters(), "exactly the cut records are dead letters");
        assertEquals(sizes - cut[0], r.delivered() + r.filtered());
        for (final String line : Files.readAllLines(dir.resolve("sizes-in-dlq.jsonl")))
        {
            assertTrue(!JSON.readTree(line).get("reason").asText().isBlank(), line);
        }
    }

    private static String cli(final String... args)
    {
        final java.io.StringWriter out = new java.io.StringWriter();
        final java.io.StringWriter err = new java.io.StringWriter();
        final int status = dev.dataforge.core.cli.Main.execute(args, new java.io.PrintWriter(out, true),
            new java.io.PrintWriter(err, true), Map.of());
        assertEquals(0, status, err.toString());
        return out.toString();
    }

    @Test
    void deadLettersCanBeCountedShownAndReDrivenToATopic() throws Exception
    {
        kafka.createTopic("dlq-in", 1);
        final int malformed = produce("dlq-in", 2_000, 100, false);
        assertNull(run("dlq-in", "json", 2_000 + malformed).error());
        final String dlq = dir.resolve("dlq-in-dlq.jsonl").toString();
        assertTrue(cli("dead-letters", "count", dlq).startsWith(malformed + " entries {source=" + malformed + "}"));
        assertEquals(3, cli("dead-letters", "list", dlq, "--limit", "3").lines().count());
        final String shown = cli("dead-letters", "show", dlq, "--entry", "1");
        assertTrue(shown.contains("original bytes: " + MALFORMED[0][0]), shown);

        kafka.createTopic("redriven", 1);
        assertTrue(cli("dead-letters", "redrive", dlq, "--brokers", kafka.bootstrapServers(), "--topic", "redriven")
            .contains("re-drove " + malformed + " entries to kafka topic redriven on "));
        final Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        final java.util.List<String> values = new java.util.ArrayList<>();
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
            new org.apache.kafka.clients.consumer.KafkaConsumer<>(p))
        {
            final org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition("redriven", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            while (values.size() < malformed)
            {
                consumer.poll(java.time.Duration.ofMillis(200))
                    .forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
            }
        }
        for (int i = 0; i < malformed; i++)
        {
            assertEquals(MALFORMED[i % MALFORMED.length][0], values.get(i), "entry " + (i + 1) + " byte for byte");
        }
    }

    @Test
    void aStalledSinkPausesTheConsumerWithBoundedMemoryAndNothingIsLost() throws Exception
    {
        kafka.createTopic("stall-in", 3);
        produce("stall-in", 20_000, 0, false);
        final dev.dataforge.core.runtime.GatedSinkFactory.Gate gate =
            dev.dataforge.core.runtime.GatedSinkFactory.gate("kafka-stall");
        gate.permits.drainPermits();
        final Path file = dir.resolve("stall.yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: kafka-stall\n" +
            "  source: {type: kafka, config: {brokers: '" + kafka.bootstrapServers() + "', topic: stall-in, group: s}}\n" +
            "  sink: {type: gated, config: {gate: kafka-stall}}\n" +
            "  runtime: {ring_size: 1024}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        final Pipeline pipeline = new Pipeline(new PipelinePlanner(new Connectors()).plan(
            new PipelineConfigLoader(Map.of()).load(file)), RunOptions.unbounded().withMaxEvents(20_000));
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
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pipeline.metrics().backpressure().get() < 10)
        {
            assertTrue(System.nanoTime() < deadline, "the ring never filled");
            Thread.sleep(5);
        }
        // the sink holds one slot and the ring the rest: everything else waits in Kafka, not in memory
        assertTrue(pipeline.metrics().eventsIn() <= 1024, "in " + pipeline.metrics().eventsIn());
        // and the consumer's lag shows it, per partition
        while (pipeline.metrics().sourceLag().values().stream().mapToLong(Long::longValue).sum() == 0)
        {
            assertTrue(System.nanoTime() < deadline, "no lag reported while stalled");
            Thread.sleep(5);
        }
        gate.permits.release(Integer.MAX_VALUE / 2);
        final RunResult r = run.get(120, TimeUnit.SECONDS);
        assertNull(r.error());
        assertEquals(20_000, r.delivered());
        assertEquals(20_000, gate.committed.get());
        assertEquals(Map.of(0, 0L, 1, 0L, 2, 0L), pipeline.metrics().sourceLag(), "drained: no lag");
    }

    @Test
    void sbeRecordsAreCopiedAsTheyAre() throws Exception
    {
        kafka.createTopic("sbe-in", 1);
        final int malformed = produce("sbe-in", 20_000, 1000, true);
        final RunResult r = run("sbe-in", "sbe", 20_000 + malformed);
        assertNull(r.error());
        assertTrue(r.countsAddUp(), r.toString());
        assertEquals(malformed, r.deadLetters());
        assertEquals(20_000, r.delivered() + r.filtered());
        assertTrue(Files.readAllLines(dir.resolve("sbe-in-dlq.jsonl")).get(0).contains("not a UserEvent SBE record"));
    }
}

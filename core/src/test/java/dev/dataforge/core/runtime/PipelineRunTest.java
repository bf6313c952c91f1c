package dev.dataforge.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.core.config.PipelineConfig;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.pipeline.PipelinePlanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipelineRunTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private PipelinePlan plan(final String yaml) throws Exception
    {
        Files.writeString(dir.resolve("profiles.csv"), "user_id,tier\n1,gold\n2,silver\n3,bronze\n");
        final Path file = dir.resolve("p.yaml");
        Files.writeString(file, yaml);
        final PipelineConfig config = new PipelineConfigLoader(Map.of()).load(file);
        return new PipelinePlanner(new Connectors()).plan(config);
    }

    private static String pipeline(final String source, final String transforms, final String sink)
    {
        return pipeline(source, transforms, sink, "auto");
    }

    private static String pipeline(
        final String source, final String transforms, final String sink, final String stageThreads)
    {
        return "pipeline:\n" +
            "  name: test-run\n" +
            "  source:\n" + source +
            "  transforms:\n" + transforms +
            "  sink:\n" + sink +
            "  lookups:\n" +
            "    profiles:\n" +
            "      type: file\n" +
            "      config: {path: profiles.csv, key: user_id}\n" +
            "  runtime: {ring_size: 1024, stage_threads: " + stageThreads + "}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
            "  dead_letter: {config: {path: dlq.jsonl}}\n";
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"shared", "dedicated"})
    void deliversExactlyTheEventsThatPassTheFilterEnrichedAndCountsAddUp(final String threads) throws Exception
    {
        final PipelinePlan plan = plan(pipeline(
            "    type: generator\n    config: {seed: 7, users: 4, events: 20000}\n",
            "    - type: filter\n      condition: event.type IN ('click', 'purchase') AND event.user_id <> 4\n" +
            "    - type: enrich\n      lookup: profiles\n      key: event.user_id\n",
            "    type: file\n    config: {path: out.jsonl}\n", threads));
        final RunResult r = new Pipeline(plan, RunOptions.unbounded()).run();

        assertNull(r.error());
        assertEquals("source ended", r.endReason());
        assertEquals(20000, r.eventsIn());
        assertTrue(r.countsAddUp(), r.toString());
        assertEquals(0, r.deadLetters());

        final Set<Long> expected = new HashSet<>();
        for (final long[] e : GeneratorOracle.events(7, 4, 20000))
        {
            final String type = GeneratorOracle.type(e);
            if ((type.equals("click") || type.equals("purchase")) && e[1] != 4)
            {
                expected.add(e[0]);
            }
        }
        final List<String> lines = Files.readAllLines(dir.resolve("out.jsonl"));
        final Set<Long> delivered = new HashSet<>();
        for (final String line : lines)
        {
            final JsonNode n = JSON.readTree(line);
            delivered.add(n.get("event_id").asLong());
            final long user = n.get("user_id").asLong();
            final String tier = user == 1 ? "gold" : user == 2 ? "silver" : "bronze";
            assertEquals(tier, n.get("tier").asText(), line);
        }
        assertEquals(lines.size(), delivered.size(), "no duplicates");
        assertEquals(expected, delivered);
        assertEquals(expected.size(), r.delivered());
    }

    /**
     * Two file sinks behind a route, on one thread and on a thread each: each file holds exactly what its routes
     * select, and an event whose route condition overflows is a dead letter in each sink's own queue.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"shared", "dedicated"})
    void routesSendEachEventToItsSinksAndAnOverflowIsADeadLetterOfEach(final String threads) throws Exception
    {
        // user_id * 2^61 overflows a long from user 4 on; it exceeds 2^62 for user 3 only
        final PipelinePlan plan = plan("pipeline:\n" +
            "  name: routes\n" +
            "  source: {type: generator, config: {seed: 9, users: 6, events: 30000}}\n" +
            "  transforms:\n" +
            "    - type: route\n" +
            "      routes:\n" +
            "        - when: event.type = 'purchase'\n" +
            "          to: a\n" +
            "        - when: event.user_id * 2305843009213693952 > 4611686018427387904\n" +
            "          to: b\n" +
            "      default: b\n" +
            "  sinks:\n" +
            "    a: {type: file, config: {path: a.jsonl}, dead_letter: {config: {path: a-dead.jsonl}}}\n" +
            "    b: {type: file, config: {path: b.jsonl}, dead_letter: {config: {path: b-dead.jsonl}}}\n" +
            "  runtime: {ring_size: 1024, stage_threads: " + threads + "}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        final RunResult r = new Pipeline(plan, RunOptions.unbounded()).run();
        assertNull(r.error());
        assertTrue(r.countsAddUp(), r.toString());

        final Set<Long> a = new HashSet<>();
        final Set<Long> b = new HashSet<>();
        final Set<Long> dead = new HashSet<>();
        for (final long[] e : GeneratorOracle.events(9, 6, 30000))
        {
            final boolean purchase = GeneratorOracle.type(e).equals("purchase");
            if (e[1] >= 4)
            {
                dead.add(e[0]); // the second route's condition overflows: the whole event is a dead letter
            }
            else
            {
                if (purchase)
                {
                    a.add(e[0]);
                }
                if (e[1] == 3 || !purchase)
                {
                    b.add(e[0]); // by the second route, or by default when no route took it
                }
            }
        }
        assertEquals(a, ids(dir.resolve("a.jsonl"), "event_id"), "a");
        assertEquals(b, ids(dir.resolve("b.jsonl"), "event_id"), "b");
        for (final String sink : new String[] {"a", "b"})
        {
            final List<String> letters = Files.readAllLines(dir.resolve(sink + "-dead.jsonl"));
            final Set<Long> ids = new HashSet<>();
            for (final String line : letters)
            {
                final JsonNode n = JSON.readTree(line);
                ids.add(n.get("event").get("event_id").asLong());
                assertEquals("route.1", n.get("stage").asText(), line);
                assertTrue(n.get("reason").asText().startsWith("route could not evaluate 'event.user_id * "),
                    line);
            }
            assertEquals(dead, ids, sink + "'s dead letters");
            assertEquals(letters.size(), ids.size(), sink + ": each dead letter once");
        }
        final RunResult.SinkResult ra = r.sinks().get(0);
        final RunResult.SinkResult rb = r.sinks().get(1);
        assertEquals(a.size(), ra.delivered());
        assertEquals(b.size(), rb.delivered());
        assertEquals(dead.size(), ra.deadLetters());
        assertEquals(dead.size(), rb.deadLetters());
        assertEquals(30000 - a.size() - dead.size(), ra.filtered(), "routed to b only");
    }

    private static Set<Long> ids(final Path file, final String field) throws Exception
    {
        final Set<Long> out = new HashSet<>();
        for (final String line : Files.readAllLines(file))
        {
            assertTrue(out.add(JSON.readTree(line).get(field).asLong()), "no duplicates: " + line);
        }
        return out;
    }

    @Test
    void missesGoToTheDeadLetterQueueWithTheirReason() throws Exception
    {
        final PipelinePlan plan = plan(pipeline(
            "    type: generator\n    config: {seed: 3, users: 5, events: 5000}\n",
            "    - type: enrich\n      lookup: profiles\n      key: event.user_id\n      on_miss: dead_letter\n",
            "    type: blackhole\n"));
        final RunResult r = new Pipeline(plan, RunOptions.unbounded()).run();
        assertNull(r.error());
        assertTrue(r.countsAddUp(), r.toString());
        long misses = 0;
        for (final long[] e : GeneratorOracle.events(3, 5, 5000))
        {
            if (e[1] > 3)
            {
                misses++;
            }
        }
        assertEquals(misses, r.deadLetters());
        final List<String> dead = Files.readAllLines(dir.resolve("dlq.jsonl"));
        assertEquals(misses, dead.size());
        final JsonNode first = JSON.readTree(dead.get(0));
        assertEquals("enrich.1", first.get("stage").asText());
        assertTrue(first.get("reason").asText().contains("no row in lookup 'profiles'"), first.toString());
        assertTrue(first.get("event").get("user_id").asLong() > 3);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"shared", "dedicated"})
    void aStalledSinkBackPressuresTheSourceAndNothingIsLost(final String threads) throws Exception
    {
        final GatedSinkFactory.Gate gate = GatedSinkFactory.gate("stall-" + threads);
        gate.permits.drainPermits();
        final PipelinePlan plan = plan(pipeline(
            "    type: generator\n    config: {seed: 1, events: 50000}\n",
            "    - type: filter\n      condition: event.event_id > 0\n",
            "    type: gated\n    config: {gate: stall-" + threads + "}\n", threads));
        final Pipeline pipeline = new Pipeline(plan, RunOptions.unbounded());
        final CompletableFuture<RunResult> run = runAsync(pipeline);
        // the source fills the ring and must then wait: events in stays bounded by the ring
        waitUntil(() -> pipeline.metrics().backpressure().get() > 10);
        assertTrue(pipeline.metrics().eventsIn() <= 1024 + 1, "in " + pipeline.metrics().eventsIn());
        gate.permits.release(Integer.MAX_VALUE / 2);
        final RunResult r = run.get(60, TimeUnit.SECONDS);
        assertNull(r.error());
        assertEquals(50000, r.delivered());
        assertEquals(50000, gate.committedIds.size());
    }

    @Test
    void stopDrainsTheRingAndCommits() throws Exception
    {
        final GatedSinkFactory.Gate gate = GatedSinkFactory.gate("stop");
        final PipelinePlan plan = plan(pipeline(
            "    type: generator\n    config: {seed: 1}\n",
            "    - type: filter\n      condition: event.type = 'click'\n",
            "    type: gated\n    config: {gate: stop}\n"));
        final Pipeline pipeline = new Pipeline(plan, RunOptions.unbounded());
        final CompletableFuture<RunResult> run = runAsync(pipeline);
        waitUntil(() -> pipeline.metrics().delivered() > 10_000);
        pipeline.stop();
        final RunResult r = run.get(60, TimeUnit.SECONDS);
        assertEquals("stopped", r.endReason());
        assertNull(r.error());
        assertTrue(r.countsAddUp(), r.toString());
        assertEquals(r.delivered(), gate.committed.get());
    }

    @Test
    void aFailingSinkStopsThePipelineWithTheError() throws Exception
    {
        final PipelinePlan plan = plan(pipeline(
            "    type: generator\n    config: {seed: 1}\n",
            "    - type: filter\n      condition: event.event_id > 0\n",
            "    type: gated\n    config: {gate: fail, fail_on_commit: 3}\n"));
        final RunResult r = new Pipeline(plan, RunOptions.unbounded()).run();
        assertNotNull(r.error());
        assertTrue(r.error().contains("sink failed: injected commit failure"), r.error());
        assertEquals("failed", r.endReason());
    }

    @Test
    void eventLimitStopsTheSource() throws Exception
    {
        final PipelinePlan plan = plan(pipeline(
            "    type: generator\n    config: {seed: 1}\n",
            "    - type: filter\n      condition: event.type <> 'view'\n",
            "    type: blackhole\n"));
        final RunResult r = new Pipeline(plan, RunOptions.unbounded().withMaxEvents(12345)).run();
        assertEquals("event limit reached", r.endReason());
        assertEquals(12345, r.eventsIn());
        assertTrue(r.countsAddUp(), r.toString());
        assertTrue(r.filtered() > 0 && r.delivered() > 0);
    }

    private static CompletableFuture<RunResult> runAsync(final Pipeline pipeline)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return pipeline.run();
            }
            catch (final Exception e)
            {
                throw new RuntimeException(e);
            }
        });
    }

    static void waitUntil(final java.util.function.BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void batchModeRefusesASourceWithoutAnEndSayingWhere() throws Exception
    {
        final PipelinePlan plan = plan(pipeline("    type: generator\n    config: {seed: 7}\n",
            "    - type: filter\n      condition: event.type = 'click'\n", "    type: blackhole\n")
            .replace("  name: test-run\n", "  name: test-run\n  mode: batch\n"));
        final dev.dataforge.api.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
            dev.dataforge.api.config.ConfigException.class, () -> new Pipeline(plan, RunOptions.unbounded()).run());
        assertEquals(dir.resolve("p.yaml") + ":3:9: mode: batch needs a source that ends: generator(seed=7, " +
            "rate=unbounded) runs for ever (a generator needs 'events')", e.getMessage());
    }

    @Test
    void batchModeEndsWhenABoundedSourceIsDrained() throws Exception
    {
        final PipelinePlan plan = plan(pipeline("    type: generator\n    config: {seed: 7, events: 5000}\n",
            "    - type: filter\n      condition: event.type = 'click'\n", "    type: blackhole\n")
            .replace("  name: test-run\n", "  name: test-run\n  mode: batch\n"));
        final RunResult r = new Pipeline(plan, RunOptions.unbounded()).run();
        assertNull(r.error());
        assertEquals("source ended", r.endReason());
        assertEquals(5000, r.eventsIn());
        assertTrue(r.countsAddUp(), r.toString());
    }
}

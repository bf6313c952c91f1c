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

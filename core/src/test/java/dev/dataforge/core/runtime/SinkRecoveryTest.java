package dev.dataforge.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sink stage's recovery against a sink with a database's failure modes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SinkRecoveryTest
{
    @TempDir
    Path dir;

    private RunResult run(final String store, final String sinkConfig, final long events, final String batch)
        throws Exception
    {
        final Path file = dir.resolve(store + ".yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: recovery\n" +
            "  source: {type: generator, config: {seed: 5, events: " + events + "}}\n" +
            "  transforms:\n" +
            "    - type: filter\n" +
            "      condition: event.type <> 'signup'\n" +
            "  sink:\n" +
            "    type: flaky\n" +
            "    config: {store: " + store + sinkConfig + "}\n" +
            "    batch: " + batch + "\n" +
            "    retry: {max_attempts: 5, initial_backoff: 1ms, max_backoff: 5ms}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n" +
            "  dead_letter: {config: {path: " + store + "-dlq.jsonl}}\n");
        final PipelinePlan plan = new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(Map.of())
            .load(file));
        return new Pipeline(plan, RunOptions.unbounded()).run();
    }

    private static Set<Long> expectedIds(final long events, final long refuseEvery)
    {
        final Set<Long> ids = new HashSet<>();
        for (final long[] e : GeneratorOracle.events(5, 10_000, events))
        {
            if (!GeneratorOracle.type(e).equals("signup") && (refuseEvery == 0 || e[0] % refuseEvery != 0))
            {
                ids.add(e[0]);
            }
        }
        return ids;
    }

    @Test
    void transientFailuresAreRetriedWithoutLossOrDuplicates() throws Exception
    {
        final RunResult r = run("transient", ", transient_failures: 3", 20_000, "{max_events: 1000}");
        assertNull(r.error());
        final FlakySinkFactory.Store store = FlakySinkFactory.store("transient");
        assertEquals(expectedIds(20_000, 0), new HashSet<>(store.committed));
        assertEquals(store.committed.size(), new HashSet<>(store.committed).size(), "no duplicates");
        assertEquals(r.delivered(), store.committed.size());
        assertTrue(r.countsAddUp(), r.toString());
        assertEquals(19_999L, store.checkpoints.get(0), "the last settled offset is checkpointed");
    }

    @Test
    void refusedRowsAreIsolatedAndDeadLetteredWhileTheRestOfTheirBatchCommits() throws Exception
    {
        final RunResult r = run("refuse", ", refuse_every: 997", 30_000, "{max_events: 512}");
        assertNull(r.error());
        final FlakySinkFactory.Store store = FlakySinkFactory.store("refuse");
        final Set<Long> expected = expectedIds(30_000, 997);
        assertEquals(expected, new HashSet<>(store.committed));
        assertEquals(store.committed.size(), new HashSet<>(store.committed).size(), "no duplicates");
        assertTrue(r.countsAddUp(), r.toString());
        final List<String> dead = Files.readAllLines(dir.resolve("refuse-dlq.jsonl"));
        assertEquals(r.deadLetters(), dead.size());
        assertTrue(dead.size() > 10, "refused rows: " + dead.size());
        final JsonNode first = new ObjectMapper().readTree(dead.get(0));
        assertEquals("sink", first.get("stage").asText());
        assertTrue(first.get("reason").asText().contains("violates a constraint"), first.toString());
        assertEquals(0, first.get("event").get("event_id").asLong() % 997);
        assertEquals(29_999L, store.checkpoints.get(0));
    }

    @Test
    void aSinkThatKeepsFailingStopsThePipelineAfterItsAttempts() throws Exception
    {
        final RunResult r = run("down", ", transient_failures: 1000", 5_000, "{max_events: 100}");
        assertNotNull(r.error());
        assertTrue(r.error().contains("gave up after 5 attempts: connection lost"), r.error());
    }
}

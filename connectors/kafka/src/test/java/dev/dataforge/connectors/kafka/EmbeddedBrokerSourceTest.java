package dev.dataforge.connectors.kafka;

import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code brokers: embedded}: a pipeline runs from Kafka with nothing installed. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedBrokerSourceTest
{
    @TempDir
    Path dir;

    @Test
    void aPipelineRunsFromAnEmbeddedBrokerFedWithGeneratedEvents() throws Exception
    {
        final Path file = dir.resolve("embedded.yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: embedded\n" +
            "  source:\n" +
            "    type: kafka\n" +
            "    config: {brokers: '${KAFKA_BROKERS:-embedded}', topic: user-events, group: g, embedded_rate: 0}\n" +
            "  transforms:\n" +
            "    - type: filter\n" +
            "      condition: event.type IN ('click', 'purchase')\n" +
            "  sink: {type: file, config: {path: out.jsonl}}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        final RunResult r = new Pipeline(new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(Map.of())
            .load(file)), RunOptions.unbounded().withMaxEvents(30_000)).run();
        assertNull(r.error());
        assertEquals(30_000, r.eventsIn());
        assertTrue(r.countsAddUp(), r.toString());
        assertEquals(0, r.deadLetters());
        assertEquals(r.delivered(), Files.readAllLines(dir.resolve("out.jsonl")).size());
        assertTrue(r.source().contains("embedded broker"), r.source());
    }
}

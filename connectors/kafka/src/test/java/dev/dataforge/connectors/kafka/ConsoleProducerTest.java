package dev.dataforge.connectors.kafka;

import dev.dataforge.connectors.kafka.embedded.EmbeddedKafka;
import dev.dataforge.core.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record written by Kafka's own console producer (a client we did not write, in its own process) into the broker
 * that {@code ./run.sh kafka} runs is processed by a pipeline.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConsoleProducerTest
{
    @TempDir
    Path dir;

    @Test
    void aRecordFromTheConsoleProducerIsProcessed() throws Exception
    {
        // as ./run.sh kafka --data DIR --port P runs it: the console producer comes in through the fixed port
        final int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0))
        {
            port = free.getLocalPort();
        }
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka-data"), port))
        {
            kafka.createTopic("console", 1);
            final Process producer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ConsoleProducer",
                "--bootstrap-server", "localhost:" + port, "--topic", "console")
                .redirectErrorStream(true).redirectOutput(dir.resolve("producer.log").toFile()).start();
            try (OutputStream in = producer.getOutputStream())
            {
                in.write(("{\"event_id\": 77, \"event_time\": \"2026-11-24T21:00:00Z\", \"user_id\": 5, " +
                    "\"type\": \"purchase\", \"amount\": 12.5, \"currency\": \"EUR\"}\n").getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(producer.waitFor(90, TimeUnit.SECONDS), "the console producer did not finish");
            assertEquals(0, producer.exitValue(), Files.readString(dir.resolve("producer.log")));

            final Path file = dir.resolve("console.yaml");
            Files.writeString(file, "pipeline:\n" +
                "  name: console\n" +
                "  source: {type: kafka, config: {brokers: '" + kafka.bootstrapServers() + "', topic: console, " +
                "group: c}}\n" +
                "  sink: {type: file, config: {path: out.jsonl}}\n" +
                "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
            final StringWriter err = new StringWriter();
            final int status = Main.execute(new String[] {"run", file.toString(), "--events", "1"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), Map.of());
            assertEquals(0, status, err.toString());
            final List<String> out = Files.readAllLines(dir.resolve("out.jsonl"));
            assertEquals(1, out.size());
            assertTrue(out.get(0).contains("\"event_id\":77") && out.get(0).contains("\"amount\":12.50"), out.get(0));
        }
    }
}

package dev.dataforge.core.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @AfterEach
    void reset()
    {
        Log.reset();
    }

    private String console()
    {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void ownLinesGoToTheConsoleAndLibrariesAtWarnToTheirFile() throws Exception
    {
        assertTrue(LoggerFactory.getLogger("dev.dataforge.x") instanceof RoutedLogger,
            "DataForge's provider is the SLF4J binding: " + LoggerFactory.getILoggerFactory());
        final Path file = dir.resolve("data/p/logs/libraries.log");
        Log.configure(Log.Format.TEXT, file);
        Log.console(new PrintStream(console, true, StandardCharsets.UTF_8));
        final Logger own = LoggerFactory.getLogger("dev.dataforge.core.runtime.Recovery");
        final Logger kafka = LoggerFactory.getLogger("org.apache.kafka.clients.consumer.KafkaConsumer");
        own.info("assigned {}", "user-events/0");
        kafka.info("an info line nobody needs");
        kafka.warn("Not updating last stable offset for partition {}", "chaos-in-2");
        java.util.logging.Logger.getLogger("org.postgresql.Driver").warning("connection refused");
        java.util.logging.Logger.getLogger("org.postgresql.Driver").info("driver info");

        final String c = console();
        assertTrue(c.contains("INFO dev.dataforge.core.runtime.Recovery - assigned user-events/0"), c);
        assertFalse(c.contains("Not updating"), c);
        assertTrue(c.contains("library log lines (WARN and above) go to " + file), c);
        final List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("WARN org.apache.kafka.clients.consumer.KafkaConsumer - Not updating last " +
            "stable offset for partition chaos-in-2"), lines.get(0));
        assertTrue(lines.get(1).contains("WARN org.postgresql.Driver - connection refused"), lines.get(1));
    }

    @Test
    void jsonLinesAreOneObjectEachWithTheErrorAndItsStack() throws Exception
    {
        Log.configure(Log.Format.JSON, null);
        Log.console(new PrintStream(console, true, StandardCharsets.UTF_8));
        LoggerFactory.getLogger("dev.dataforge.core.cli.Main").error("sink \"duckdb\" failed:\n{}", "disk full",
            new IllegalStateException("no space"));
        final String[] lines = console().split("\n");
        assertEquals(1, lines.length, console());
        final JsonNode o = new ObjectMapper().readTree(lines[0]);
        assertEquals("ERROR", o.get("level").asText());
        assertEquals("dev.dataforge.core.cli.Main", o.get("logger").asText());
        assertEquals("sink \"duckdb\" failed:\ndisk full", o.get("message").asText());
        assertEquals("java.lang.IllegalStateException: no space", o.get("error").asText());
        assertTrue(o.get("stack").asText().contains("LogTest.jsonLines"), o.toString());
        assertTrue(o.get("time").asText().endsWith("Z"), o.toString());
        assertFalse(o.get("thread").asText().isEmpty());
    }
}

package dev.dataforge.core.builtin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.api.deadletter.DeadLetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FileDeadLetterQueueTest
{
    @TempDir
    Path dir;

    private static DeadLetter letter(final long offset)
    {
        return new DeadLetter(Instant.parse("2026-12-01T00:00:00Z"), "p", "filter.1", "overflow", 2, offset, false,
            "{\"event_id\":1}".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A run that crashed after writing its dead letters and before its sink commit reads the same events again from
     * the checkpoint: their dead letters are not written twice, and a line the crash cut short stays on its own.
     */
    @Test
    void entriesAlreadyInTheFileAreNotWrittenAgainAfterARestart() throws Exception
    {
        final Path file = dir.resolve("dead.jsonl");
        final FileDeadLetterQueue first = new FileDeadLetterQueue(file, true);
        first.write(letter(10));
        first.write(letter(11));
        first.close();
        Files.writeString(file, "{\"time\":\"2026-12-01T00:00:00Z\",\"pipe", StandardOpenOption.APPEND); // torn

        final FileDeadLetterQueue again = new FileDeadLetterQueue(file, false);
        again.write(letter(11)); // the same event, read again after the crash
        again.write(letter(12));
        again.close();
        final List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size(), String.join("\n", lines));
        final ObjectMapper json = new ObjectMapper();
        assertEquals(10, json.readTree(lines.get(0)).get("offset").asLong());
        assertEquals(11, json.readTree(lines.get(1)).get("offset").asLong());
        assertEquals(12, json.readTree(lines.get(3)).get("offset").asLong());
        assertEquals(1, json.readTree(lines.get(3)).get("event").get("event_id").asLong());
    }
}

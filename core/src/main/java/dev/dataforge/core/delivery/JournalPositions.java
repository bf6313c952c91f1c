package dev.dataforge.core.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;

/**
 * Each sink's position in a journal, as the pipeline appending to it last saw them: {@code sinks.json} in the
 * journal's directory, written about once a second (a temporary file moved over the last, so a reader never sees
 * half of one) for {@code journal stats}. Advisory: the sinks' checkpoints are what recovery reads.
 * <pre>
 *   {"pipeline": "p", "written": "2026-12-03T10:00:00Z",
 *    "sinks": {"warehouse": {"read": 1234, "settled": 1200}, "archive": {...}}}
 * </pre>
 */
public final class JournalPositions
{
    /** The file, in the journal's directory. */
    public static final String FILE = "sinks.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private JournalPositions()
    {
    }

    /**
     * Writes the positions: per sink name, {read, settled} (the last journal index handed to the sink, and the last
     * it has settled; -1 for none).
     */
    public static void write(final Path dir, final String pipeline, final Map<String, long[]> sinks)
        throws IOException
    {
        final ObjectNode n = JSON.createObjectNode();
        n.put("pipeline", pipeline);
        n.put("written", Instant.now().toString());
        final ObjectNode s = n.putObject("sinks");
        for (final Map.Entry<String, long[]> e : sinks.entrySet())
        {
            final ObjectNode one = s.putObject(e.getKey());
            one.put("read", e.getValue()[0]);
            one.put("settled", e.getValue()[1]);
        }
        final Path tmp = dir.resolve(FILE + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(n));
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return what {@link #write} last wrote in {@code dir}, or null when no pipeline wrote it. */
    public static JsonNode read(final Path dir) throws IOException
    {
        final Path file = dir.resolve(FILE);
        return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
    }
}

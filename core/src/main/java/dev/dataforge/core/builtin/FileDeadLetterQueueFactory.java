package dev.dataforge.core.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.deadletter.DeadLetter;
import dev.dataforge.api.deadletter.DeadLetterQueue;
import dev.dataforge.api.deadletter.DeadLetterQueueFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static dev.dataforge.api.config.ConfigOption.Type.BOOLEAN;
import static dev.dataforge.api.config.ConfigOption.Type.PATH;

/**
 * {@code dead_letter: {type: file}}, the default: JSON lines in a local file, {@code data/<pipeline>/dead-letters.jsonl}
 * unless {@code path} says otherwise.
 */
public final class FileDeadLetterQueueFactory implements DeadLetterQueueFactory
{
    public static final String TYPE = "file";

    private static final ConfigSpec SPEC = new ConfigSpec(TYPE,
        "Dead letters as JSON lines in a file (the default): time, pipeline, stage, reason, source partition and " +
        "offset, and the event as JSON (or a record the source could not decode as its original bytes, base64). " +
        "Entries are written out before the sink commits the batch they came from.",
        List.of(
            ConfigOption.of("path", PATH, "the file, relative to the pipeline file; default " +
                "data/<pipeline>/dead-letters.jsonl in the working directory").example("dead-letters.jsonl"),
            ConfigOption.of("fsync", BOOLEAN, "force the file to disk before each sink commit (survives a power " +
                "loss, not only a process crash)").defaultValue("false")));

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String type()
    {
        return TYPE;
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    /** @return the queue's file: {@code path}, or {@code data/<pipeline>/dead-letters.jsonl}. */
    static Path path(final ConnectorContext context)
    {
        final ConfigValues c = context.config();
        return c.isSet("path") ? c.path("path") : Path.of("data", context.pipelineName(), "dead-letters.jsonl");
    }

    @Override
    public DeadLetterQueue open(final ConnectorContext context)
    {
        return new FileDeadLetterQueue(path(context), context.config().getBoolean("fsync"));
    }

    @Override
    public boolean read(final ConnectorContext context, final Reader reader) throws Exception
    {
        final Path file = path(context);
        if (!Files.isRegularFile(file))
        {
            return false;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null)
            {
                number++;
                if (line.isBlank())
                {
                    continue;
                }
                if (!reader.accept(entry(file, number, line)))
                {
                    break;
                }
            }
        }
        return true;
    }

    private static DeadLetter entry(final Path file, final int line, final String text) throws IOException
    {
        final JsonNode e;
        try
        {
            e = JSON.readTree(text);
        }
        catch (final JsonProcessingException bad)
        {
            throw new IOException(file + ":" + line + ": not a dead-letter entry: " + bad.getOriginalMessage());
        }
        if (e == null || !e.isObject())
        {
            throw new IOException(file + ":" + line + ": not a dead-letter entry: not a JSON object");
        }
        final boolean original = e.has("raw_base64");
        // entries written before the glossary named it 'event' hold 'record'
        final JsonNode event = e.has("event") ? e.get("event") : e.get("record");
        final byte[] payload = original ? Base64.getDecoder().decode(e.get("raw_base64").asText()) :
            event == null ? new byte[0] : JSON.writeValueAsBytes(event);
        Instant time;
        try
        {
            time = Instant.parse(e.path("time").asText());
        }
        catch (final RuntimeException unparsable)
        {
            time = Instant.EPOCH;
        }
        return new DeadLetter(time, e.path("pipeline").asText(null), e.path("stage").asText(null),
            e.path("reason").asText(null), e.path("partition").asInt(-1), e.path("offset").asLong(-1), original,
            payload);
    }
}

package dev.dataforge.core.builtin;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.api.deadletter.DeadLetter;
import dev.dataforge.api.deadletter.DeadLetterQueue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * Dead letters as JSON lines in a local file, one entry per dead letter:
 * <pre>
 * {"time":"2026-11-24T21:34:48.123Z","pipeline":"p","stage":"filter.1","reason":"...","partition":0,"offset":41,
 *  "event":{...the event as JSON...}}
 * </pre>
 * A record the source could not decode keeps its original bytes instead: {@code "raw_base64":"..."}. The file is
 * created on the first entry and appended to across runs; {@link #flush()} writes the entries out (and forces them
 * to disk with {@code fsync: true}), before the sink commits. An entry the file already has (pipeline, stage and
 * source position: a run that crashed between the two wrote it) is not written again. This is the error path: it
 * may allocate.
 */
final class FileDeadLetterQueue implements DeadLetterQueue
{
    private final Path path;
    private final boolean fsync;
    private final StringBuilder pending = new StringBuilder(1024);
    private Set<String> written;
    private FileChannel channel;
    private OutputStream out;

    FileDeadLetterQueue(final Path path, final boolean fsync)
    {
        this.path = path;
        this.fsync = fsync;
    }

    /**
     * Writes the entry unless the file has it already: a dead letter is written before its batch commits, so after a
     * crash between the two the same event comes again from the same source position, and is skipped here.
     */
    @Override
    public void write(final DeadLetter letter) throws IOException
    {
        if (written == null)
        {
            written = existingEntries();
        }
        if (!written.add(key(letter.pipeline(), letter.stage(), letter.partition(), letter.offset())))
        {
            return;
        }
        final StringBuilder sb = pending;
        sb.append("{\"time\":\"").append(letter.time()).append("\",\"pipeline\":");
        quote(sb, letter.pipeline());
        sb.append(",\"stage\":");
        quote(sb, letter.stage());
        sb.append(",\"reason\":");
        quote(sb, letter.reason());
        sb.append(",\"partition\":").append(letter.partition()).append(",\"offset\":").append(letter.offset());
        if (letter.original())
        {
            sb.append(",\"raw_base64\":\"").append(Base64.getEncoder().encodeToString(letter.payload())).append('"');
        }
        else
        {
            sb.append(",\"event\":").append(letter.payloadText());
        }
        sb.append("}\n");
    }

    /** @return true when the file ends inside a line (a crash cut its last entry short). */
    private boolean endsTorn() throws IOException
    {
        if (!Files.isRegularFile(path) || Files.size(path) == 0)
        {
            return false;
        }
        try (FileChannel read = FileChannel.open(path, StandardOpenOption.READ))
        {
            final ByteBuffer last = ByteBuffer.allocate(1);
            read.read(last, read.size() - 1);
            return last.get(0) != '\n';
        }
    }

    private static String key(final String pipeline, final String stage, final int partition, final long offset)
    {
        return pipeline + '\u0000' + stage + '\u0000' + partition + '\u0000' + offset;
    }

    /** @return the keys (pipeline, stage, source position) of the entries already in the file. */
    private Set<String> existingEntries() throws IOException
    {
        final Set<String> keys = new HashSet<>();
        if (!Files.isRegularFile(path))
        {
            return keys;
        }
        final ObjectMapper json = new ObjectMapper();
        for (final String line : Files.readAllLines(path, StandardCharsets.UTF_8))
        {
            if (line.isBlank())
            {
                continue;
            }
            try
            {
                final JsonNode e = json.readTree(line);
                keys.add(key(e.path("pipeline").asText(), e.path("stage").asText(), e.path("partition").asInt(),
                    e.path("offset").asLong()));
            }
            catch (final IOException torn)
            {
                // a line cut short by a crash: the entry is written again
            }
        }
        return keys;
    }

    private static void quote(final StringBuilder sb, final String s)
    {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s == null ? "" : s, sb);
        sb.append('"');
    }

    @Override
    public void flush() throws IOException
    {
        if (pending.length() == 0)
        {
            return;
        }
        if (out == null)
        {
            final Path parent = path.toAbsolutePath().getParent();
            if (parent != null)
            {
                Files.createDirectories(parent);
            }
            final boolean tornTail = endsTorn();
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
            out = Channels.newOutputStream(channel);
            if (tornTail)
            {
                out.write('\n'); // a line a crash cut short stays apart from the next entry
            }
        }
        out.write(pending.toString().getBytes(StandardCharsets.UTF_8));
        pending.setLength(0);
        if (fsync)
        {
            channel.force(false);
        }
    }

    @Override
    public String describe()
    {
        return path.toString();
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            flush();
        }
        finally
        {
            if (out != null)
            {
                out.close();
                out = null;
                channel = null;
            }
        }
    }
}

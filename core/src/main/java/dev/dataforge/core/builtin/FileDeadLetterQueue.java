package dev.dataforge.core.builtin;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.dataforge.api.deadletter.DeadLetter;
import dev.dataforge.api.deadletter.DeadLetterQueue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;

/**
 * Dead letters as JSON lines in a local file, one entry per dead letter:
 * <pre>
 * {"time":"2026-11-24T21:34:48.123Z","pipeline":"p","stage":"filter.1","reason":"...","partition":0,"offset":41,
 *  "event":{...the event as JSON...}}
 * </pre>
 * A record the source could not decode keeps its original bytes instead: {@code "raw_base64":"..."}. The file is
 * created on the first entry and appended to across runs; {@link #flush()} writes the entries out (and forces them
 * to disk with {@code fsync: true}). This is the error path: it may allocate.
 */
final class FileDeadLetterQueue implements DeadLetterQueue
{
    private final Path path;
    private final boolean fsync;
    private final StringBuilder pending = new StringBuilder(1024);
    private FileChannel channel;
    private OutputStream out;

    FileDeadLetterQueue(final Path path, final boolean fsync)
    {
        this.path = path;
        this.fsync = fsync;
    }

    @Override
    public void write(final DeadLetter letter)
    {
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
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
            out = Channels.newOutputStream(channel);
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

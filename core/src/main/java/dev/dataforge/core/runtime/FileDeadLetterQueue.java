package dev.dataforge.core.runtime;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.core.format.JsonRecordWriter;
import org.agrona.DirectBuffer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;

/**
 * Dead letters as JSON lines in a local file, one entry per record:
 * <pre>
 * {"time":"2026-11-24T21:34:48.123Z","pipeline":"p","stage":"filter.1","reason":"...","partition":0,"offset":41,
 *  "record":{...the event as JSON...}}
 * </pre>
 * A record the source could not decode keeps its original bytes instead: {@code "raw_base64":"..."}. The file is
 * created on the first entry and appended to across runs. This is the error path: it may allocate.
 */
final class FileDeadLetterQueue implements DeadLetterQueue
{
    private final Path path;
    private final String pipeline;
    private final JsonRecordWriter recordWriter;
    private OutputStream out;

    FileDeadLetterQueue(final Path path, final String pipeline, final RecordLayout layout)
    {
        this.path = path;
        this.pipeline = pipeline;
        this.recordWriter = new JsonRecordWriter(layout);
    }

    @Override
    public void write(final EventSlot slot, final DirectBuffer buffer) throws IOException
    {
        if (out == null)
        {
            final Path parent = path.toAbsolutePath().getParent();
            if (parent != null)
            {
                Files.createDirectories(parent);
            }
            out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), 1 << 16);
        }
        final StringBuilder sb = new StringBuilder(256);
        sb.append("{\"time\":\"").append(Instant.now()).append("\",\"pipeline\":");
        quote(sb, pipeline);
        sb.append(",\"stage\":");
        quote(sb, slot.deadLetterStage());
        sb.append(",\"reason\":");
        quote(sb, slot.deadLetterReason());
        sb.append(",\"partition\":").append(slot.partition()).append(",\"offset\":").append(slot.sourceOffset());
        if ("source".equals(slot.deadLetterStage()))
        {
            final byte[] raw = slot.sourceBytes(buffer);
            sb.append(",\"raw_base64\":\"").append(Base64.getEncoder().encodeToString(raw)).append("\"}\n");
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        sb.append(",\"record\":");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        final int length = recordWriter.write(buffer, slot.base());
        out.write(recordWriter.array(), 0, length);
        out.write('}');
        out.write('\n');
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
        if (out != null)
        {
            out.flush();
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
        if (out != null)
        {
            out.close();
            out = null;
        }
    }
}

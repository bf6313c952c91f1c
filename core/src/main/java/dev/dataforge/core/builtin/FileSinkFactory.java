package dev.dataforge.core.builtin;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.sink.SinkFactory;
import dev.dataforge.codec.JsonRecordWriter;
import org.agrona.DirectBuffer;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code type: file}: rows as JSON lines appended to a file, or written to standard output. A commit flushes (and
 * with {@code fsync: true} forces the file to disk). At least once: a crash after a flush and before the source
 * position is saved repeats rows.
 */
public final class FileSinkFactory implements SinkFactory
{
    public static final String STDOUT = "stdout";

    private static final ConfigSpec SPEC = new ConfigSpec("file",
        "Appends events as JSON lines to a file (or standard output). At least once.", List.of(
            ConfigOption.of("path", ConfigOption.Type.STRING, "file to append to, relative to the pipeline file; " +
                "'stdout' for standard output").required().example("../data/events.jsonl"),
            ConfigOption.of("fsync", ConfigOption.Type.BOOLEAN, "force the file to disk at every commit")
                .defaultValue("false")));

    @Override
    public String type()
    {
        return "file";
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    @Override
    public Sink create(final ConnectorContext context)
    {
        final String path = context.config().string("path");
        return new FileSink(STDOUT.equals(path) ? null : context.baseDirectory().resolve(path).normalize(),
            context.config().getBoolean("fsync"), new JsonRecordWriter(context.layout()));
    }

    static final class FileSink implements Sink
    {
        private static final int BUFFER = 1 << 16;

        private final Path path;
        private final boolean fsync;
        private final JsonRecordWriter writer;
        private final byte[] buffer = new byte[BUFFER];
        private int used;
        private OutputStream out;
        private FileChannel channel;

        FileSink(final Path path, final boolean fsync, final JsonRecordWriter writer)
        {
            this.path = path;
            this.fsync = fsync;
            this.writer = writer;
        }

        @Override
        public void open() throws IOException
        {
            if (path == null)
            {
                out = System.out;
                return;
            }
            final Path parent = path.toAbsolutePath().getParent();
            if (parent != null)
            {
                Files.createDirectories(parent);
            }
            final FileOutputStream file = new FileOutputStream(path.toFile(), true);
            channel = file.getChannel();
            out = file;
        }

        @Override
        public void append(final DirectBuffer record, final int base) throws IOException
        {
            final int n = writer.write(record, base);
            if (used + n + 1 > BUFFER)
            {
                drain();
            }
            if (n + 1 > BUFFER)
            {
                out.write(writer.array(), 0, n);
                out.write('\n');
                return;
            }
            System.arraycopy(writer.array(), 0, buffer, used, n);
            used += n;
            buffer[used++] = '\n';
        }

        private void drain() throws IOException
        {
            if (used > 0)
            {
                out.write(buffer, 0, used);
                used = 0;
            }
        }

        @Override
        public void commit() throws IOException
        {
            drain();
            out.flush();
            if (fsync && channel != null)
            {
                channel.force(false);
            }
        }

        @Override
        public String describe()
        {
            return "file " + (path == null ? STDOUT : path.toString());
        }

        @Override
        public void close() throws IOException
        {
            if (out != null)
            {
                commit();
                if (path != null)
                {
                    out.close();
                }
                out = null;
            }
        }
    }
}

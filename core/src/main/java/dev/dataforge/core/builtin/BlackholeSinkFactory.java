package dev.dataforge.core.builtin;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.sink.SinkFactory;
import dev.dataforge.codec.Field;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * {@code type: blackhole}: reads one field of every row and throws the row away, for measuring the engine.
 */
public final class BlackholeSinkFactory implements SinkFactory
{
    private static final ConfigSpec SPEC = new ConfigSpec("blackhole",
        "Discards every row after reading its first field; for benchmarks. Exactly once, trivially.", List.of());

    @Override
    public String type()
    {
        return "blackhole";
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    @Override
    public Sink create(final ConnectorContext context)
    {
        return new BlackholeSink(context.layout().fields().get(0));
    }

    /** Consumes rows so that the JIT cannot prove them unused. */
    static final class BlackholeSink implements Sink
    {
        private final Field field;
        private long sum;
        private volatile long published;

        BlackholeSink(final Field field)
        {
            this.field = field;
        }

        @Override
        public void open()
        {
        }

        @Override
        public void append(final DirectBuffer buffer, final int base)
        {
            sum += field.getLong(buffer, base);
        }

        @Override
        public void commit()
        {
            published = sum;
        }

        @Override
        public String describe()
        {
            return "blackhole";
        }

        @Override
        public void close()
        {
        }
    }
}

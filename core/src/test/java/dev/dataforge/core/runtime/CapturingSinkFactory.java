package dev.dataforge.core.runtime;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.sink.SinkFactory;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A test sink ({@code type: capture}) that keeps the committed events' chosen fields as text, in commit order, under
 * a name the test reads them by: {@code sink: {type: capture, config: {capture: c1, fields: [user_id, tier]}}}.
 */
public final class CapturingSinkFactory implements SinkFactory
{
    static final Map<String, ConcurrentLinkedQueue<String[]>> CAPTURES = new ConcurrentHashMap<>();

    private static final ConfigSpec SPEC = new ConfigSpec("capture", "test sink", List.of(
        ConfigOption.of("capture", ConfigOption.Type.STRING, "capture name").required(),
        ConfigOption.of("fields", ConfigOption.Type.LIST, "fields to keep").required()));

    /** @return the committed rows of a capture so far (each the chosen fields' text, null for NULL). */
    public static ConcurrentLinkedQueue<String[]> capture(final String name)
    {
        return CAPTURES.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>());
    }

    @Override
    public String type()
    {
        return "capture";
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    @Override
    public Sink create(final ConnectorContext context)
    {
        final ConcurrentLinkedQueue<String[]> out = capture(context.config().string("capture"));
        final List<Field> fields = new ArrayList<>();
        for (final String f : context.config().list("fields"))
        {
            final Field field = context.layout().field(f);
            if (field == null)
            {
                throw new IllegalArgumentException("capture: no field " + f + " in " + context.layout().fieldNames());
            }
            fields.add(field);
        }
        return new Sink()
        {
            private final List<String[]> pending = new ArrayList<>();

            @Override
            public void open()
            {
            }

            @Override
            public void append(final DirectBuffer buffer, final int base)
            {
                final String[] row = new String[fields.size()];
                for (int i = 0; i < row.length; i++)
                {
                    final Field f = fields.get(i);
                    row[i] = f.type() == FieldType.STRING ? (f.stringLength(buffer, base) == 0 ? null :
                        f.getString(buffer, base)) : f.isNull(buffer, base) ? null :
                        f.type() == FieldType.DOUBLE ? Double.toString(f.getDouble(buffer, base)) :
                        Long.toString(f.getLong(buffer, base));
                }
                pending.add(row);
            }

            @Override
            public void commit()
            {
                out.addAll(pending);
                pending.clear();
            }

            @Override
            public void close()
            {
            }
        };
    }
}

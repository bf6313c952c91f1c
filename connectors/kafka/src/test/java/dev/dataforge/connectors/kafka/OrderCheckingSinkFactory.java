package dev.dataforge.connectors.kafka;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.sink.SinkFactory;
import dev.dataforge.codec.Field;
import org.agrona.DirectBuffer;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test sink ({@code type: ordered}) that checks, without keeping the records, that every event id arrives once
 * and that each user's events (one key, so one partition) arrive in the order they were produced (increasing ids).
 * Results are shared by name.
 */
public final class OrderCheckingSinkFactory implements SinkFactory
{
    /** What a test reads after the run. */
    public static final class Check
    {
        final BitSet ids = new BitSet();
        long committed;
        long duplicates;
        long outOfOrder;
        final long[] lastByUser = new long[1 << 16];
    }

    static final Map<String, Check> CHECKS = new ConcurrentHashMap<>();

    private static final ConfigSpec SPEC = new ConfigSpec("ordered", "test sink checking ids and per-key order",
        List.of(ConfigOption.of("name", ConfigOption.Type.STRING, "check name").required()));

    static Check check(final String name)
    {
        return CHECKS.computeIfAbsent(name, n -> new Check());
    }

    @Override
    public String type()
    {
        return "ordered";
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    @Override
    public Sink create(final ConnectorContext context)
    {
        final Check check = check(context.config().string("name"));
        final Field id = context.layout().field("event_id");
        final Field user = context.layout().field("user_id");
        return new Sink()
        {
            @Override
            public void open()
            {
            }

            @Override
            public void append(final DirectBuffer buffer, final int base)
            {
                final long e = id.getLong(buffer, base);
                synchronized (check)
                {
                    if (check.ids.get((int)e))
                    {
                        check.duplicates++;
                    }
                    check.ids.set((int)e);
                    if (!user.isNull(buffer, base))
                    {
                        final int u = (int)(user.getLong(buffer, base) & 0xFFFF);
                        if (check.lastByUser[u] >= e)
                        {
                            check.outOfOrder++;
                        }
                        check.lastByUser[u] = e;
                    }
                    check.committed++;
                }
            }

            @Override
            public void commit()
            {
            }

            @Override
            public void close()
            {
            }
        };
    }
}

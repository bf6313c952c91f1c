package dev.dataforge.core.runtime;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.sink.SinkFactory;
import org.agrona.DirectBuffer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test sink ({@code type: gated}) whose appends wait for permits, so a test can stall delivery, and whose
 * commits can be made to fail. It keeps the event ids it committed. Gates are shared by name.
 */
public final class GatedSinkFactory implements SinkFactory
{
    static final Map<String, Gate> GATES = new ConcurrentHashMap<>();

    private static final ConfigSpec SPEC = new ConfigSpec("gated", "test sink", List.of(
        ConfigOption.of("gate", ConfigOption.Type.STRING, "gate name").required(),
        ConfigOption.of("fail_on_commit", ConfigOption.Type.LONG, "commit number that throws; 0 never")
            .defaultValue("0")));

    /** What a test controls and observes. */
    public static final class Gate
    {
        public final Semaphore permits = new Semaphore(Integer.MAX_VALUE);
        public final AtomicLong committed = new AtomicLong();
        final AtomicLong appended = new AtomicLong();
        final java.util.Set<Long> committedIds = ConcurrentHashMap.newKeySet();

        /** @return the event ids committed so far. */
        public java.util.Set<Long> committedIds()
        {
            return java.util.Collections.unmodifiableSet(committedIds);
        }
    }

    public static Gate gate(final String name)
    {
        return GATES.computeIfAbsent(name, n -> new Gate());
    }

    @Override
    public String type()
    {
        return "gated";
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    @Override
    public Sink create(final ConnectorContext context)
    {
        final Gate gate = gate(context.config().string("gate"));
        final long failOn = context.config().getLong("fail_on_commit");
        final dev.dataforge.codec.Field id = context.layout().field("event_id");
        return new Sink()
        {
            private final java.util.List<Long> pending = new java.util.ArrayList<>();
            private long commits;

            @Override
            public void open()
            {
            }

            @Override
            public void append(final DirectBuffer buffer, final int base) throws InterruptedException
            {
                gate.permits.acquire();
                gate.appended.incrementAndGet();
                pending.add(id.getLong(buffer, base));
            }

            @Override
            public void commit()
            {
                if (++commits == failOn)
                {
                    throw new IllegalStateException("injected commit failure");
                }
                gate.committedIds.addAll(pending);
                gate.committed.addAndGet(pending.size());
                pending.clear();
            }

            @Override
            public void close()
            {
            }
        };
    }
}

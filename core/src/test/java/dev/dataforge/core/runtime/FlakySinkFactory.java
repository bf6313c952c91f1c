package dev.dataforge.core.runtime;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.sink.SinkFactory;
import dev.dataforge.codec.Field;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A transactional test sink ({@code type: flaky}) with the failure modes of a database: commits that fail
 * transiently a number of times, and rows (by event id) that are always refused. It keeps what it committed, with
 * the checkpoints, in memory, like a table and a checkpoint table would.
 */
public final class FlakySinkFactory implements SinkFactory
{
    static final Map<String, Store> STORES = new ConcurrentHashMap<>();

    private static final ConfigSpec SPEC = new ConfigSpec("flaky", "test sink", List.of(
        ConfigOption.of("store", ConfigOption.Type.STRING, "store name").required(),
        ConfigOption.of("transient_failures", ConfigOption.Type.INT, "commits that fail first").defaultValue("0"),
        ConfigOption.of("refuse_every", ConfigOption.Type.LONG, "refuse event ids divisible by this; 0 none")
            .defaultValue("0")));

    /** What the "database" holds. */
    static final class Store
    {
        final List<Long> committed = java.util.Collections.synchronizedList(new ArrayList<>());
        final Map<Integer, Long> checkpoints = new ConcurrentHashMap<>();
        volatile int transientFailuresLeft;
        volatile int commits;
    }

    static Store store(final String name)
    {
        return STORES.computeIfAbsent(name, n -> new Store());
    }

    /** A failure a database would report for a refused row. */
    static final class RowRefused extends Exception
    {
        private static final long serialVersionUID = 1L;

        RowRefused(final long id)
        {
            super("row with event_id " + id + " violates a constraint");
        }
    }

    /** A failure a database would report when the connection drops. */
    static final class ConnectionLost extends Exception
    {
        private static final long serialVersionUID = 1L;

        ConnectionLost()
        {
            super("connection lost");
        }
    }

    @Override
    public String type()
    {
        return "flaky";
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    @Override
    public Sink create(final ConnectorContext context)
    {
        final Store store = store(context.config().string("store"));
        store.transientFailuresLeft = context.config().getInt("transient_failures");
        final long refuseEvery = context.config().getLong("refuse_every");
        final Field id = context.layout().field("event_id");
        return new Sink()
        {
            private final List<Long> transaction = new ArrayList<>();

            @Override
            public void open()
            {
            }

            @Override
            public void append(final DirectBuffer buffer, final int base)
            {
                transaction.add(id.getLong(buffer, base));
            }

            @Override
            public void commit()
            {
                throw new UnsupportedOperationException("commits go with checkpoints");
            }

            @Override
            public void commit(final List<Checkpoint> checkpoints) throws Exception
            {
                if (store.transientFailuresLeft > 0)
                {
                    store.transientFailuresLeft--;
                    throw new ConnectionLost();
                }
                for (final long e : transaction)
                {
                    if (refuseEvery > 0 && e % refuseEvery == 0)
                    {
                        throw new RowRefused(e);
                    }
                }
                store.committed.addAll(transaction);
                for (final Checkpoint c : checkpoints)
                {
                    store.checkpoints.put(c.partition(), c.offset());
                }
                store.commits++;
                transaction.clear();
            }

            @Override
            public void abort()
            {
                transaction.clear();
            }

            @Override
            public boolean recoverable()
            {
                return true;
            }

            @Override
            public Failure classify(final Exception failure)
            {
                if (failure instanceof ConnectionLost)
                {
                    return Failure.TRANSIENT;
                }
                return failure instanceof RowRefused ? Failure.ROW : Failure.FATAL;
            }

            @Override
            public String deliveryGuarantee()
            {
                return "exactly-once";
            }

            @Override
            public void close()
            {
            }
        };
    }
}

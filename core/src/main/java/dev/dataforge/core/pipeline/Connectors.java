package dev.dataforge.core.pipeline;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.Location;
import dev.dataforge.api.deadletter.DeadLetterQueueFactory;
import dev.dataforge.api.lookup.LookupFactory;
import dev.dataforge.api.sink.SinkFactory;
import dev.dataforge.api.source.SourceFactory;
import dev.dataforge.codec.Names;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The connectors on the class path, by kind and type, found with {@link ServiceLoader}: sources, lookups, sinks and
 * dead-letter queues, built in or from a connector module.
 */
public final class Connectors
{
    private final Map<String, SourceFactory> sources = load(SourceFactory.class, SourceFactory::type);
    private final Map<String, SinkFactory> sinks = load(SinkFactory.class, SinkFactory::type);
    private final Map<String, LookupFactory> lookups = load(LookupFactory.class, LookupFactory::type);
    private final Map<String, DeadLetterQueueFactory> deadLetterQueues = load(DeadLetterQueueFactory.class,
        DeadLetterQueueFactory::type);

    private static <F> Map<String, F> load(final Class<F> kind, final Function<F, String> type)
    {
        final Map<String, F> out = new TreeMap<>();
        for (final F f : ServiceLoader.load(kind))
        {
            out.put(type.apply(f), f);
        }
        return out;
    }

    public Map<String, SourceFactory> sources()
    {
        return sources;
    }

    public Map<String, SinkFactory> sinks()
    {
        return sinks;
    }

    public Map<String, LookupFactory> lookups()
    {
        return lookups;
    }

    public Map<String, DeadLetterQueueFactory> deadLetterQueues()
    {
        return deadLetterQueues;
    }

    public SourceFactory source(final String type, final Location where)
    {
        return find(sources, "source", type, where);
    }

    public SinkFactory sink(final String type, final Location where)
    {
        return find(sinks, "sink", type, where);
    }

    public LookupFactory lookup(final String type, final Location where)
    {
        return find(lookups, "lookup", type, where);
    }

    public DeadLetterQueueFactory deadLetterQueue(final String type, final Location where)
    {
        return find(deadLetterQueues, "dead_letter", type, where);
    }

    private static <F> F find(final Map<String, F> factories, final String kind, final String type,
        final Location where)
    {
        final F f = factories.get(type);
        if (f == null)
        {
            throw new ConfigException(where, "unknown " + kind + " type '" + type + "'" + Names.didYouMean(type,
                factories.keySet()) + " (available: " + String.join(", ", factories.keySet()) + ")");
        }
        return f;
    }
}

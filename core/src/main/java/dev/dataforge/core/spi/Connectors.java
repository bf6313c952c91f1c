package dev.dataforge.core.spi;

import dev.dataforge.codec.Names;
import dev.dataforge.core.config.ConfigException;
import dev.dataforge.core.config.Location;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The connectors on the class path, by type, found with {@link ServiceLoader}.
 */
public final class Connectors
{
    private final Map<String, SourceFactory> sources = new TreeMap<>();
    private final Map<String, SinkFactory> sinks = new TreeMap<>();
    private final Map<String, LookupFactory> lookups = new TreeMap<>();

    public Connectors()
    {
        for (final SourceFactory f : ServiceLoader.load(SourceFactory.class))
        {
            sources.put(f.type(), f);
        }
        for (final SinkFactory f : ServiceLoader.load(SinkFactory.class))
        {
            sinks.put(f.type(), f);
        }
        for (final LookupFactory f : ServiceLoader.load(LookupFactory.class))
        {
            lookups.put(f.type(), f);
        }
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

    public SourceFactory source(final String type, final Location where)
    {
        final SourceFactory f = sources.get(type);
        if (f == null)
        {
            throw new ConfigException(where, "unknown source type '" + type + "'" + Names.didYouMean(type,
                sources.keySet()) + " (available: " + String.join(", ", sources.keySet()) + ")");
        }
        return f;
    }

    public SinkFactory sink(final String type, final Location where)
    {
        final SinkFactory f = sinks.get(type);
        if (f == null)
        {
            throw new ConfigException(where, "unknown sink type '" + type + "'" + Names.didYouMean(type,
                sinks.keySet()) + " (available: " + String.join(", ", sinks.keySet()) + ")");
        }
        return f;
    }

    public LookupFactory lookup(final String type, final Location where)
    {
        final LookupFactory f = lookups.get(type);
        if (f == null)
        {
            throw new ConfigException(where, "unknown lookup type '" + type + "'" + Names.didYouMean(type,
                lookups.keySet()) + " (available: " + String.join(", ", lookups.keySet()) + ")");
        }
        return f;
    }
}

package dev.dataforge.api.lookup;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.config.ConfigValues;

import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Reads lookup data of one {@code type} for enrich transforms. Found with {@link ServiceLoader}: list the class in
 * {@code META-INF/services/dev.dataforge.api.lookup.LookupFactory}. The engine types, indexes and binds the rows
 * when the pipeline is built; an index is immutable, and a lookup that changes ({@link #open}) gives whole new versions
 * that the engine indexes and swaps in.
 */
public interface LookupFactory
{
    String type();

    ConfigSpec spec();

    /**
     * @param name          the lookup's name in the pipeline, for messages.
     * @param config        the lookup's validated {@code config:} block.
     * @param baseDirectory the pipeline file's directory; relative paths resolve against it.
     * @return the rows, keyed ({@link LookupRows#keyedBy}).
     * @throws LookupException when the data is unreadable or invalid, with its origin and line.
     * @throws ConfigException when an option is unusable, with its location.
     */
    LookupRows load(String name, ConfigValues config, Path baseDirectory) throws Exception;

    /**
     * Opens the lookup for a running pipeline: its rows at start and, for a source that changes (a table refreshed
     * on an interval, a compacted topic), its later versions. By default the rows of {@link #load}, read once.
     *
     * @throws LookupException when the data is unreadable or invalid, with its origin.
     * @throws ConfigException when an option is unusable, with its location.
     */
    default LookupSource open(final String name, final ConfigValues config, final Path baseDirectory)
        throws Exception
    {
        return LookupSource.once(load(name, config, baseDirectory));
    }
}

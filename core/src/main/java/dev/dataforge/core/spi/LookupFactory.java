package dev.dataforge.core.spi;

import dev.dataforge.core.config.ConfigSpec;
import dev.dataforge.core.config.ConfigValues;
import dev.dataforge.core.lookup.LookupTable;

import java.nio.file.Path;

/**
 * Loads lookup tables of one {@code type} for enrich stages. Found with {@link java.util.ServiceLoader}: list the
 * class in {@code META-INF/services/dev.dataforge.core.spi.LookupFactory}. Tables are loaded once, when the pipeline
 * is built, and are immutable afterwards.
 */
public interface LookupFactory
{
    String type();

    ConfigSpec spec();

    /**
     * @param name          the lookup's name in the pipeline, for messages and {@link LookupTable#name()}.
     * @param config        the lookup's validated {@code config:} block.
     * @param baseDirectory the pipeline file's directory; relative paths resolve against it.
     * @return the loaded table.
     * @throws dev.dataforge.core.lookup.LookupException when the data is unreadable or invalid, with file and line.
     * @throws dev.dataforge.core.config.ConfigException when an option is unusable, with its location.
     */
    LookupTable load(String name, ConfigValues config, Path baseDirectory) throws Exception;
}

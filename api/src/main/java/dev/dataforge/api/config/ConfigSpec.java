package dev.dataforge.api.config;

import dev.dataforge.codec.Names;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The typed config of one connector or stage. {@link #bind} validates a config block against it: unknown keys
 * (with a suggestion), wrong types, missing required keys, each reported at its line and column.
 */
public final class ConfigSpec
{
    private final String name;
    private final String description;
    private final Map<String, ConfigOption> options = new LinkedHashMap<>();

    public ConfigSpec(final String name, final String description, final List<ConfigOption> options)
    {
        this.name = name;
        this.description = description;
        for (final ConfigOption o : options)
        {
            if (this.options.put(o.name(), o) != null)
            {
                throw new IllegalArgumentException("duplicate option " + o.name() + " in spec " + name);
            }
        }
    }

    public String name()
    {
        return name;
    }

    public String description()
    {
        return description;
    }

    public List<ConfigOption> options()
    {
        return new ArrayList<>(options.values());
    }

    public ConfigOption option(final String optionName)
    {
        return options.get(optionName);
    }

    /**
     * Validates a config block and gives typed access to it.
     *
     * @param block  the {@code config:} map; a NULL node counts as empty.
     * @param where  what the block belongs to, for messages: {@code "sink 'duckdb'"}.
     * @param baseDirectory directory that relative PATH options resolve against.
     * @throws ConfigException at the first problem, with its location.
     */
    public ConfigValues bind(final ConfigNode block, final String where, final Path baseDirectory)
    {
        if (!block.isMap() && !block.isNull())
        {
            throw new ConfigException(block.location(), where + ": config must be a map, not " + block.describe());
        }
        for (final Map.Entry<String, ConfigNode> e : block.entries().entrySet())
        {
            final ConfigOption option = options.get(e.getKey());
            if (option == null)
            {
                throw new ConfigException(block.keyLocation(e.getKey()), where + ": unknown key '" + e.getKey() + "'" +
                    Names.didYouMean(e.getKey(), options.keySet()) + " (known: " + String.join(", ", options.keySet()) +
                    ")");
            }
        }
        final ConfigValues values = new ConfigValues(where, block, baseDirectory, this);
        for (final ConfigOption option : options.values())
        {
            final ConfigNode node = block.get(option.name());
            if (node == null || node.isNull())
            {
                if (option.isRequired())
                {
                    throw new ConfigException(block.location(), where + ": missing required key '" + option.name() +
                        "' (" + option.description() + (option.example() != null ? ", e.g. " + option.example() : "") +
                        ")");
                }
                continue;
            }
            values.check(option, node);
        }
        return values;
    }
}

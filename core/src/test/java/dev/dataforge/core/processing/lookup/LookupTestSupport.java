package dev.dataforge.core.processing.lookup;

import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.config.Location;
import dev.dataforge.core.builtin.FileLookupFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds lookup config blocks and data files for tests. */
final class LookupTestSupport
{
    static final String PIPELINE = "pipeline.yaml";

    private LookupTestSupport()
    {
    }

    /**
     * @param options option name to a String, or to a {@code Map<String, String>} for {@code columns}; each option
     *                is "written" on its own line of pipeline.yaml, starting at line 10.
     */
    static ConfigValues config(final Map<String, Object> options, final Path baseDirectory)
    {
        final Map<String, ConfigNode> entries = new LinkedHashMap<>();
        final Map<String, Location> keys = new LinkedHashMap<>();
        int line = 10;
        for (final Map.Entry<String, Object> e : options.entrySet())
        {
            final Location at = new Location(PIPELINE, line, 7);
            keys.put(e.getKey(), new Location(PIPELINE, line, 5));
            if (e.getValue() instanceof Map)
            {
                final Map<String, ConfigNode> columns = new LinkedHashMap<>();
                final Map<String, Location> columnKeys = new LinkedHashMap<>();
                for (final Map.Entry<?, ?> c : ((Map<?, ?>)e.getValue()).entrySet())
                {
                    line++;
                    columns.put((String)c.getKey(), ConfigNode.scalar(new Location(PIPELINE, line, 20),
                        (String)c.getValue(), false));
                    columnKeys.put((String)c.getKey(), new Location(PIPELINE, line, 7));
                }
                entries.put(e.getKey(), ConfigNode.map(at, columns, columnKeys));
            }
            else
            {
                entries.put(e.getKey(), ConfigNode.scalar(at, (String)e.getValue(), false));
            }
            line++;
        }
        return new FileLookupFactory().spec().bind(ConfigNode.map(new Location(PIPELINE, 9, 5), entries, keys),
            "lookup 'test'", baseDirectory);
    }

    static LookupTable load(
        final Path dir, final String fileName, final String content, final Map<String, Object> options)
        throws IOException
    {
        Files.writeString(dir.resolve(fileName), content, StandardCharsets.UTF_8);
        final Map<String, Object> all = new LinkedHashMap<>();
        all.put("path", fileName);
        all.putAll(options);
        return LookupTableBuilder.build("test", new FileLookupFactory().load("test", config(all, dir), dir));
    }

    static Map<String, Object> options(final Object... keyValues)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2)
        {
            m.put((String)keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    static Map<String, String> columns(final String... nameTypes)
    {
        final Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameTypes.length; i += 2)
        {
            m.put(nameTypes[i], nameTypes[i + 1]);
        }
        return m;
    }
}

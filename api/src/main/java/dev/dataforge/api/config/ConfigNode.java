package dev.dataforge.api.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a parsed config document that remembers where it was written: a map, a list or a scalar.
 * Scalars hold their text after {@code ${VAR}} substitution; {@link #quoted()} tells whether it was quoted in the
 * file (a quoted scalar is always a string).
 */
public final class ConfigNode
{
    public enum Kind
    {
        MAP, LIST, SCALAR, NULL
    }

    private final Kind kind;
    private final Location location;
    private final String text;
    private final boolean quoted;
    private final Map<String, ConfigNode> entries;
    private final Map<String, Location> keyLocations;
    private final List<ConfigNode> items;
    private int[] columns;

    private ConfigNode(
        final Kind kind,
        final Location location,
        final String text,
        final boolean quoted,
        final Map<String, ConfigNode> entries,
        final Map<String, Location> keyLocations,
        final List<ConfigNode> items)
    {
        this.kind = kind;
        this.location = location;
        this.text = text;
        this.quoted = quoted;
        this.entries = entries;
        this.keyLocations = keyLocations;
        this.items = items;
    }

    /**
     * A scalar written with escapes ({@code ''} or {@code \"}) on one line: {@code columns[i]} is how many columns
     * after the opening quote the value's character {@code i} stands, so errors inside the value point at the file.
     */
    public static ConfigNode scalar(
        final Location location, final String text, final boolean quoted, final int[] columns)
    {
        final ConfigNode node = scalar(location, text, quoted);
        node.columns = columns;
        return node;
    }

    public static ConfigNode scalar(final Location location, final String text, final boolean quoted)
    {
        return new ConfigNode(Kind.SCALAR, location, text, quoted, Map.of(), Map.of(), List.of());
    }

    public static ConfigNode nullNode(final Location location)
    {
        return new ConfigNode(Kind.NULL, location, null, false, Map.of(), Map.of(), List.of());
    }

    /**
     * @param entries      in document order.
     * @param keyLocations where each key was written.
     */
    public static ConfigNode map(
        final Location location, final Map<String, ConfigNode> entries, final Map<String, Location> keyLocations)
    {
        return new ConfigNode(Kind.MAP, location, null, false, Collections.unmodifiableMap(new LinkedHashMap<>(entries)),
            Collections.unmodifiableMap(new LinkedHashMap<>(keyLocations)), List.of());
    }

    public static ConfigNode list(final Location location, final List<ConfigNode> items)
    {
        return new ConfigNode(Kind.LIST, location, null, false, Map.of(), Map.of(), List.copyOf(items));
    }

    /** @return an empty map at the given location, for an optional section that was left out. */
    public static ConfigNode emptyMap(final Location location)
    {
        return map(location, Map.of(), Map.of());
    }

    public Kind kind()
    {
        return kind;
    }

    public boolean isMap()
    {
        return kind == Kind.MAP;
    }

    public boolean isList()
    {
        return kind == Kind.LIST;
    }

    public boolean isScalar()
    {
        return kind == Kind.SCALAR;
    }

    public boolean isNull()
    {
        return kind == Kind.NULL;
    }

    /** @return where the node's value starts (for a quoted scalar, the opening quote). */
    public Location location()
    {
        return location;
    }

    /**
     * @param index 0-based index into {@link #text()}.
     * @return the location of that character, for errors inside a value (an expression's column); exact for
     * single-line plain and quoted scalars.
     */
    public Location locationAt(final int index)
    {
        if (columns != null && index >= 0 && index < columns.length)
        {
            return location.plusColumns(1 + columns[index]);
        }
        if (columns != null && index == columns.length && index > 0)
        {
            return location.plusColumns(2 + columns[index - 1]);
        }
        return location.plusColumns(index + (quoted ? 1 : 0));
    }

    public String text()
    {
        return text;
    }

    public boolean quoted()
    {
        return quoted;
    }

    /** @return the map's entries in document order (empty for non-maps). */
    public Map<String, ConfigNode> entries()
    {
        return entries;
    }

    /** @return the entry, or null. */
    public ConfigNode get(final String key)
    {
        return entries.get(key);
    }

    /** @return where a key of this map was written, or this node's location. */
    public Location keyLocation(final String key)
    {
        final Location l = keyLocations.get(key);
        return l == null ? location : l;
    }

    public List<ConfigNode> items()
    {
        return items;
    }

    /** @return a word for messages: "a map", "a list", "a value", "nothing". */
    public String describe()
    {
        switch (kind)
        {
            case MAP: return "a map";
            case LIST: return "a list";
            case NULL: return "nothing";
            default: return "'" + text + "'";
        }
    }

    @Override
    public String toString()
    {
        switch (kind)
        {
            case MAP: return entries.toString();
            case LIST: return items.toString();
            case NULL: return "null";
            default: return text;
        }
    }
}

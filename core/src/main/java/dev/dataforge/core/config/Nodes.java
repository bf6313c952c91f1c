package dev.dataforge.core.config;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.codec.Names;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks on {@link ConfigNode}s that report what is wrong and where: the shape of a section, its keys, and the
 * type of its values.
 */
final class Nodes
{
    private Nodes()
    {
    }

    /** @return the node as a map; a NULL node (an empty section) counts as an empty map. */
    static ConfigNode map(final ConfigNode node, final String what)
    {
        if (node.isNull())
        {
            return ConfigNode.emptyMap(node.location());
        }
        if (!node.isMap())
        {
            throw new ConfigException(node.location(), what + " must be a map, not " + node.describe());
        }
        return node;
    }

    /** Rejects keys of {@code map} outside {@code known}, suggesting the closest. */
    static void keys(final ConfigNode map, final String what, final List<String> known)
    {
        for (final String key : map.entries().keySet())
        {
            if (!known.contains(key))
            {
                throw new ConfigException(map.keyLocation(key), "unknown key '" + key + "' in " + what +
                    Names.didYouMean(key, known) + " (known: " + String.join(", ", known) + ")");
            }
        }
    }

    /** @return the entry, or an error at the map naming the missing key. */
    static ConfigNode required(final ConfigNode map, final String key, final String what)
    {
        final ConfigNode n = map.get(key);
        if (n == null || n.isNull())
        {
            throw new ConfigException(map.location(), what + " is missing required key '" + key + "'");
        }
        return n;
    }

    /** @return the scalar text of a value, or an error when it is a map or a list. */
    static String text(final ConfigNode node, final String what)
    {
        if (!node.isScalar())
        {
            throw new ConfigException(node.location(), what + " must be a value, not " + node.describe());
        }
        return node.text();
    }

    static String optionalText(final ConfigNode map, final String key, final String what, final String dflt)
    {
        final ConfigNode n = map.get(key);
        return n == null || n.isNull() ? dflt : text(n, what + " '" + key + "'");
    }

    static String oneOf(final ConfigNode node, final String what, final Set<String> allowed)
    {
        final String v = text(node, what);
        if (!allowed.contains(v))
        {
            throw new ConfigException(node.location(), what + " must be one of " + String.join(", ",
                new TreeSet<>(allowed)) + ", not '" + v + "'" + Names.didYouMean(v, allowed));
        }
        return v;
    }

    static long integer(final ConfigNode node, final String what, final long min, final long max)
    {
        final String v = text(node, what).trim();
        final long n;
        try
        {
            n = Long.parseLong(v);
        }
        catch (final NumberFormatException e)
        {
            throw new ConfigException(node.location(), what + " must be a whole number, not '" + v + "'");
        }
        if (n < min || n > max)
        {
            throw new ConfigException(node.location(), what + " must be between " + min + " and " + max + ", not " +
                n);
        }
        return n;
    }

    static boolean bool(final ConfigNode node, final String what)
    {
        final String v = text(node, what).trim();
        if (!v.equals("true") && !v.equals("false"))
        {
            throw new ConfigException(node.location(), what + " must be true or false, not '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    static Duration duration(final ConfigNode node, final String what)
    {
        final String v = text(node, what);
        try
        {
            return ConfigValues.parseDuration(v);
        }
        catch (final RuntimeException e)
        {
            throw new ConfigException(node.location(), what + " must be a duration such as 250ms, 5s or 2m, not '" +
                v + "'");
        }
    }

    static long size(final ConfigNode node, final String what)
    {
        final String v = text(node, what);
        try
        {
            return ConfigValues.parseSize(v);
        }
        catch (final RuntimeException e)
        {
            throw new ConfigException(node.location(), what + " must be a size such as 512, 64KiB or 16MiB, not '" +
                v + "'");
        }
    }
}

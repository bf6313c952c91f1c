package dev.dataforge.api.config;

import dev.dataforge.codec.Names;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A validated config block with typed getters. Defaults come from the spec; values were checked when the block was
 * bound, so getters only fail on a programming error (asking for an option the spec does not declare).
 */
public final class ConfigValues
{
    private final String where;
    private final ConfigNode block;
    private final Path baseDirectory;
    private final ConfigSpec spec;

    ConfigValues(final String where, final ConfigNode block, final Path baseDirectory, final ConfigSpec spec)
    {
        this.where = where;
        this.block = block;
        this.baseDirectory = baseDirectory;
        this.spec = spec;
    }

    /** @return an empty block bound to a spec, for code paths (tests, benchmarks) that build pipelines directly. */
    public static ConfigValues defaults(final ConfigSpec spec, final Map<String, String> values)
    {
        final Map<String, ConfigNode> entries = new LinkedHashMap<>();
        values.forEach((k, v) -> entries.put(k, ConfigNode.scalar(Location.UNKNOWN, v, false)));
        return spec.bind(ConfigNode.map(Location.UNKNOWN, entries, Map.of()), spec.name(), Path.of("."));
    }

    public String where()
    {
        return where;
    }

    public ConfigSpec spec()
    {
        return spec;
    }

    public boolean isSet(final String name)
    {
        final ConfigNode n = block.get(name);
        return n != null && !n.isNull();
    }

    /** @return where the option was written, or the block's location when it was not. */
    public Location location(final String name)
    {
        final ConfigNode n = block.get(name);
        return n == null ? block.location() : n.location();
    }

    public ConfigNode node(final String name)
    {
        return block.get(name);
    }

    private String raw(final String name)
    {
        final ConfigOption option = spec.option(name);
        if (option == null)
        {
            throw new IllegalArgumentException(where + " has no option " + name);
        }
        final ConfigNode n = block.get(name);
        return n == null || n.isNull() ? option.defaultValue() : n.text();
    }

    public String string(final String name)
    {
        return raw(name);
    }

    public int getInt(final String name)
    {
        final String v = raw(name);
        return v == null ? 0 : Integer.parseInt(v.trim());
    }

    public long getLong(final String name)
    {
        final String v = raw(name);
        return v == null ? 0 : Long.parseLong(v.trim());
    }

    public double getDouble(final String name)
    {
        final String v = raw(name);
        return v == null ? 0 : Double.parseDouble(v.trim());
    }

    public boolean getBoolean(final String name)
    {
        final String v = raw(name);
        return v != null && Boolean.parseBoolean(v.trim());
    }

    public Duration duration(final String name)
    {
        final String v = raw(name);
        return v == null ? null : parseDuration(v);
    }

    public long size(final String name)
    {
        final String v = raw(name);
        return v == null ? 0 : parseSize(v);
    }

    public Path path(final String name)
    {
        final String v = raw(name);
        return v == null ? null : baseDirectory.resolve(v).normalize();
    }

    public List<String> list(final String name)
    {
        final ConfigNode n = block.get(name);
        if (n == null || n.isNull())
        {
            final String d = raw(name);
            return d == null ? List.of() : List.of(d.split("\\s*,\\s*"));
        }
        if (n.isScalar())
        {
            return List.of(n.text());
        }
        final List<String> out = new ArrayList<>();
        for (final ConfigNode item : n.items())
        {
            out.add(item.text());
        }
        return out;
    }

    /** @return the entries of a MAP option in document order (empty when unset). */
    public Map<String, String> map(final String name)
    {
        final Map<String, String> out = new LinkedHashMap<>();
        final ConfigNode n = block.get(name);
        if (n != null && n.isMap())
        {
            n.entries().forEach((k, v) -> out.put(k, v.text()));
        }
        return out;
    }

    void check(final ConfigOption option, final ConfigNode node)
    {
        final String what = where + ": '" + option.name() + "'";
        switch (option.type())
        {
            case LIST:
                if (node.isMap())
                {
                    throw new ConfigException(node.location(), what + " must be a list, not a map");
                }
                for (final ConfigNode item : node.items())
                {
                    if (!item.isScalar())
                    {
                        throw new ConfigException(item.location(), what + " items must be values, not " +
                            item.describe());
                    }
                }
                return;
            case MAP:
                if (!node.isMap())
                {
                    throw new ConfigException(node.location(), what + " must be a map, not " + node.describe());
                }
                for (final Map.Entry<String, ConfigNode> e : node.entries().entrySet())
                {
                    if (!e.getValue().isScalar())
                    {
                        throw new ConfigException(e.getValue().location(), what + ": '" + e.getKey() +
                            "' must be a value, not " + e.getValue().describe());
                    }
                }
                return;
            default:
                break;
        }
        if (!node.isScalar())
        {
            throw new ConfigException(node.location(), what + " must be " + article(option) + ", not " +
                node.describe());
        }
        final String v = node.text().trim();
        try
        {
            switch (option.type())
            {
                case INT: Integer.parseInt(v); break;
                case LONG: Long.parseLong(v); break;
                case DOUBLE: Double.parseDouble(v); break;
                case BOOLEAN:
                    if (!v.equals("true") && !v.equals("false"))
                    {
                        throw new IllegalArgumentException();
                    }
                    break;
                case DURATION: parseDuration(v); break;
                case SIZE: parseSize(v); break;
                case ENUM:
                    if (!option.allowed().contains(v))
                    {
                        throw new ConfigException(node.location(), what + " must be one of " +
                            String.join(", ", option.allowed()) + ", not '" + shown(option, v) + "'" +
                            Names.didYouMean(v, option.allowed()));
                    }
                    break;
                default: break;
            }
        }
        catch (final ConfigException e)
        {
            throw e;
        }
        catch (final RuntimeException e)
        {
            throw new ConfigException(node.location(), what + " must be " + article(option) + ", not '" +
                shown(option, v) + "'" + example(option));
        }
    }

    private static String shown(final ConfigOption option, final String v)
    {
        return option.isSecret() ? "***" : v;
    }

    private static String example(final ConfigOption option)
    {
        switch (option.type())
        {
            case DURATION: return " (e.g. 250ms, 5s, 2m)";
            case SIZE: return " (e.g. 512, 64KiB, 16MiB)";
            default: return option.example() != null ? " (e.g. " + option.example() + ")" : "";
        }
    }

    private static String article(final ConfigOption option)
    {
        switch (option.type())
        {
            case INT:
            case LONG: return "an integer";
            case DOUBLE: return "a number";
            case BOOLEAN: return "true or false";
            case DURATION: return "a duration";
            case SIZE: return "a size";
            case ENUM: return "one of " + String.join(", ", option.allowed());
            case PATH: return "a path";
            default: return "a value";
        }
    }

    /** Parses {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 7d}, {@code 100us}; a bare number is milliseconds. */
    public static Duration parseDuration(final String text)
    {
        final String v = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < v.length() && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.'))
        {
            i++;
        }
        if (i == 0)
        {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        final double n = Double.parseDouble(v.substring(0, i));
        final String unit = v.substring(i).trim();
        final double nanos;
        switch (unit)
        {
            case "ns": nanos = n; break;
            case "us": nanos = n * 1e3; break;
            case "":
            case "ms": nanos = n * 1e6; break;
            case "s": nanos = n * 1e9; break;
            case "m": nanos = n * 60e9; break;
            case "h": nanos = n * 3600e9; break;
            case "d": nanos = n * 86400e9; break;
            default: throw new IllegalArgumentException("unknown duration unit: " + unit);
        }
        return Duration.ofNanos((long)nanos);
    }

    /** Parses {@code 512}, {@code 64KiB}, {@code 16MiB}, {@code 1GiB} (also KB, MB, GB as powers of 1024). */
    public static long parseSize(final String text)
    {
        final String v = text.trim();
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i)))
        {
            i++;
        }
        if (i == 0)
        {
            throw new IllegalArgumentException("not a size: " + text);
        }
        final long n = Long.parseLong(v.substring(0, i));
        final String unit = v.substring(i).trim().toLowerCase(Locale.ROOT);
        switch (unit)
        {
            case "":
            case "b": return n;
            case "k":
            case "kb":
            case "kib": return n << 10;
            case "m":
            case "mb":
            case "mib": return n << 20;
            case "g":
            case "gb":
            case "gib": return n << 30;
            case "t":
            case "tb":
            case "tib": return n << 40;
            default: throw new IllegalArgumentException("unknown size unit: " + unit);
        }
    }
}

package dev.dataforge.core.source;

import dev.dataforge.core.config.ConfigException;
import dev.dataforge.core.config.ConfigValues;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The generator's validated settings.
 *
 * @param types type name to relative weight, in config order.
 */
public record GeneratorSettings(
    long seed,
    long rate,
    long events,
    Map<String, Integer> types,
    long users,
    double anonymousRatio,
    int sessionsPerUser,
    int pages,
    long startMicros)
{
    public static final Map<String, Integer> DEFAULT_TYPES = defaultTypes();

    private static Map<String, Integer> defaultTypes()
    {
        final Map<String, Integer> types = new LinkedHashMap<>();
        types.put("view", 60);
        types.put("click", 25);
        types.put("purchase", 10);
        types.put("signup", 5);
        return types;
    }

    public static GeneratorSettings defaults(final long seed, final long rate, final long events)
    {
        return new GeneratorSettings(seed, rate, events, DEFAULT_TYPES, 10_000, 0, 4, 20,
            Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1000);
    }

    static GeneratorSettings from(final ConfigValues c)
    {
        final String where = c.where();
        final Map<String, Integer> types = new LinkedHashMap<>();
        for (final Map.Entry<String, String> e : c.map("types").entrySet())
        {
            final int weight;
            try
            {
                weight = Integer.parseInt(e.getValue().trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new ConfigException(c.node("types").get(e.getKey()).location(), where + ": weight of type '" +
                    e.getKey() + "' must be a whole number, not '" + e.getValue() + "'");
            }
            if (weight < 0)
            {
                throw new ConfigException(c.node("types").get(e.getKey()).location(), where + ": weight of type '" +
                    e.getKey() + "' must not be negative");
            }
            if (e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 16)
            {
                throw new ConfigException(c.node("types").keyLocation(e.getKey()), where + ": type '" + e.getKey() +
                    "' is longer than the 16 bytes of the type field");
            }
            types.put(e.getKey(), weight);
        }
        if (types.isEmpty())
        {
            types.putAll(DEFAULT_TYPES);
        }
        if (types.values().stream().mapToInt(Integer::intValue).sum() <= 0)
        {
            throw new ConfigException(c.location("types"), where + ": the type weights must add up to more than 0");
        }
        positive(c, "users", c.getLong("users"));
        positive(c, "sessions_per_user", c.getInt("sessions_per_user"));
        positive(c, "pages", c.getInt("pages"));
        if (c.getLong("rate") < 0)
        {
            throw new ConfigException(c.location("rate"), where + ": 'rate' must be 0 (unbounded) or more");
        }
        if (c.getLong("events") < 0)
        {
            throw new ConfigException(c.location("events"), where + ": 'events' must be 0 (unbounded) or more");
        }
        final double anonymous = c.getDouble("anonymous_ratio");
        if (anonymous < 0 || anonymous > 1)
        {
            throw new ConfigException(c.location("anonymous_ratio"), where + ": 'anonymous_ratio' must be 0 to 1");
        }
        final long startMicros;
        try
        {
            final Instant start = Instant.parse(c.string("start_time"));
            startMicros = start.getEpochSecond() * 1_000_000L + start.getNano() / 1000;
        }
        catch (final DateTimeParseException e)
        {
            throw new ConfigException(c.location("start_time"), where + ": 'start_time' must be an ISO-8601 UTC " +
                "time such as 2026-01-01T00:00:00Z, not '" + c.string("start_time") + "'");
        }
        return new GeneratorSettings(c.getLong("seed"), c.getLong("rate"), c.getLong("events"), types,
            c.getLong("users"), anonymous, c.getInt("sessions_per_user"), c.getInt("pages"), startMicros);
    }

    private static void positive(final ConfigValues c, final String name, final long value)
    {
        if (value <= 0)
        {
            throw new ConfigException(c.location(name), c.where() + ": '" + name + "' must be at least 1");
        }
    }
}

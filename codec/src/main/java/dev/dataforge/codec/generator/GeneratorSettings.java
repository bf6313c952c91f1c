package dev.dataforge.codec.generator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the generator of the built-in {@code UserEvent}s makes: the seed that fixes every event's content, the rate
 * and count, and the mix of types, users, sessions and pages.
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
}

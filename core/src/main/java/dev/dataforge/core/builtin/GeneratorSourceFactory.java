package dev.dataforge.core.builtin;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.source.Source;
import dev.dataforge.api.source.SourceFactory;
import dev.dataforge.codec.generator.GeneratorSettings;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.dataforge.api.config.ConfigOption.Type.DOUBLE;
import static dev.dataforge.api.config.ConfigOption.Type.INT;
import static dev.dataforge.api.config.ConfigOption.Type.LONG;
import static dev.dataforge.api.config.ConfigOption.Type.MAP;
import static dev.dataforge.api.config.ConfigOption.Type.STRING;

/**
 * {@code type: generator}: synthetic user events, the same sequence for the same seed.
 */
public final class GeneratorSourceFactory implements SourceFactory
{
    public static final String TYPE = "generator";

    private static final ConfigSpec SPEC = new ConfigSpec(TYPE,
        "Synthetic user events (view, click, purchase, ...), deterministic from a seed, at a set rate or as fast as " +
        "the pipeline takes them.",
        List.of(
            ConfigOption.of("seed", LONG, "seed of the pseudo-random sequence").defaultValue("42"),
            ConfigOption.of("rate", LONG, "events per second; 0 means as fast as the pipeline takes them")
                .defaultValue("0").example("1000000"),
            ConfigOption.of("events", LONG, "stop after this many events; 0 means never").defaultValue("0"),
            ConfigOption.of("types", MAP, "event type mix: type -> relative weight")
                .example("{view: 60, click: 25, purchase: 10, signup: 5}"),
            ConfigOption.of("users", LONG, "key cardinality: user_id is drawn from 1..users").defaultValue("10000"),
            ConfigOption.of("anonymous_ratio", DOUBLE, "share of events with no user_id (NULL), 0 to 1")
                .defaultValue("0"),
            ConfigOption.of("sessions_per_user", INT, "distinct session ids per user").defaultValue("4"),
            ConfigOption.of("pages", INT, "distinct page paths").defaultValue("20"),
            ConfigOption.of("start_time", STRING, "event_time of the first event (ISO-8601 UTC); each next event " +
                "is 1/rate seconds later (1 us when the rate is unbounded)").defaultValue("2026-01-01T00:00:00Z")));

    @Override
    public String type()
    {
        return TYPE;
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    @Override
    public Source create(final ConnectorContext context)
    {
        return new GeneratorSource(settings(context.config()));
    }

    /** @return the settings a {@code config:} block asks for, each bad value reported where it was written. */
    static GeneratorSettings settings(final ConfigValues c)
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
            if (e.getKey().getBytes(StandardCharsets.UTF_8).length > 16)
            {
                throw new ConfigException(c.node("types").keyLocation(e.getKey()), where + ": type '" + e.getKey() +
                    "' is longer than the 16 bytes of the type field");
            }
            types.put(e.getKey(), weight);
        }
        if (types.isEmpty())
        {
            types.putAll(GeneratorSettings.DEFAULT_TYPES);
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

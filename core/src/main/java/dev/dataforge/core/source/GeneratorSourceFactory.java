package dev.dataforge.core.source;

import dev.dataforge.core.config.ConfigOption;
import dev.dataforge.core.config.ConfigSpec;
import dev.dataforge.core.spi.ConnectorContext;
import dev.dataforge.core.spi.Source;
import dev.dataforge.core.spi.SourceFactory;

import java.util.List;

import static dev.dataforge.core.config.ConfigOption.Type.DOUBLE;
import static dev.dataforge.core.config.ConfigOption.Type.INT;
import static dev.dataforge.core.config.ConfigOption.Type.LONG;
import static dev.dataforge.core.config.ConfigOption.Type.MAP;
import static dev.dataforge.core.config.ConfigOption.Type.STRING;

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
        return new GeneratorSource(GeneratorSettings.from(context.config()));
    }
}

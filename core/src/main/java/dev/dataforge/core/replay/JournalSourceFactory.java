package dev.dataforge.core.replay;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.source.Source;
import dev.dataforge.api.source.SourceFactory;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.core.config.PipelineConfig;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.config.SinkConfig;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.journal.JournalSettings;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import static dev.dataforge.api.config.ConfigOption.Type.PATH;
import static dev.dataforge.api.config.ConfigOption.Type.STRING;

/**
 * {@code type: journal}: reads what another pipeline journaled, as a source (what {@code ./run.sh replay} runs). The
 * events come out as that pipeline's sinks saw them (processed, in its layout); only passing ones, and with
 * {@code sink}, only those routed to that sink. Bounded: it ends at {@code to}, or at the journal's end when it
 * opened.
 */
public final class JournalSourceFactory implements SourceFactory
{
    public static final String TYPE = "journal";

    private static final ConfigSpec SPEC = new ConfigSpec(TYPE,
        "Replays a range of what another pipeline journaled (see ./run.sh replay).",
        List.of(
            ConfigOption.of("pipeline", PATH, "the journaled pipeline's file (its journal and layout)").required(),
            ConfigOption.of("sink", STRING, "only events that pipeline routed to this sink of it"),
            ConfigOption.of("from", STRING, "first entry: a journal index, or an ISO-8601 time of ingest " +
                "(default: the oldest held)"),
            ConfigOption.of("to", STRING, "last entry: a journal index, or an ISO-8601 time of ingest (default: " +
                "the newest when the replay starts)")));

    /** A replay's bounds: an index, or a time (epoch millis) where {@code time} is true. */
    record Bound(long value, boolean time)
    {
    }

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
    public RecordLayout layout(final ConfigValues config) throws Exception
    {
        try (PipelinePlan plan = plan(config))
        {
            return plan.layout();
        }
    }

    @Override
    public Source create(final ConnectorContext context) throws Exception
    {
        final ConfigValues c = context.config();
        final PipelineConfig journaled = new PipelineConfigLoader(System.getenv()).load(c.path("pipeline"));
        final JournalSettings settings;
        final int bit;
        try (PipelinePlan plan = new PipelinePlanner(new Connectors()).plan(journaled))
        {
            settings = plan.journal() != null ? plan.journal() : JournalSettings.of(journaled.journal().path() != null ?
                journaled.journal().path() : journaled.baseDirectory().resolve("data").resolve(journaled.name())
                .resolve("journal"));
            bit = sinkBit(c, journaled);
        }
        return new JournalSource(settings, bit, bound(c, "from"), bound(c, "to"), context.layout());
    }

    private static PipelinePlan plan(final ConfigValues c)
    {
        final Path file = c.path("pipeline");
        return new PipelinePlanner(new Connectors()).plan(new PipelineConfigLoader(System.getenv()).load(file));
    }

    /** @return the bit of {@code sink} in the journaled pipeline's route masks, or -1 for every event. */
    private static int sinkBit(final ConfigValues c, final PipelineConfig journaled)
    {
        if (!c.isSet("sink"))
        {
            return -1;
        }
        final String name = c.string("sink");
        final List<SinkConfig> sinks = journaled.sinks();
        for (int i = 0; i < sinks.size(); i++)
        {
            if (sinks.get(i).name().equals(name))
            {
                return i;
            }
        }
        final StringBuilder names = new StringBuilder();
        for (final SinkConfig s : sinks)
        {
            names.append(names.length() == 0 ? "" : ", ").append(s.name());
        }
        throw new ConfigException(c.location("sink"), c.where() + ": pipeline '" + journaled.name() + "' has no " +
            "sink '" + name + "' (its sinks: " + names + ")");
    }

    static Bound bound(final ConfigValues c, final String name)
    {
        if (!c.isSet(name))
        {
            return null;
        }
        final String v = c.string(name).trim();
        if (v.matches("-?\\d+"))
        {
            return new Bound(Long.parseLong(v), false);
        }
        try
        {
            return new Bound(Instant.parse(v).toEpochMilli(), true);
        }
        catch (final DateTimeParseException e)
        {
            throw new ConfigException(c.location(name), c.where() + ": '" + name + "' must be a journal index " +
                "(a whole number, as journal inspect shows) or an ISO-8601 time such as 2026-12-01T10:00:00Z, not '" +
                v + "'");
        }
    }
}

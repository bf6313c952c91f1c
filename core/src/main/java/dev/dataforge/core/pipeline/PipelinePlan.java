package dev.dataforge.core.pipeline;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.PipelineSource;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.source.SourceFactory;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.core.config.PipelineConfig;
import dev.dataforge.core.processing.lookup.LiveLookup;

import java.util.List;

/**
 * A pipeline checked and compiled, ready to run: every config error has been reported by now. Nothing is
 * connected yet; {@code validate} stops here.
 *
 * @param sourceLayout layout of the events the source writes.
 * @param layout       layout after every enrich transform: what filters after them and the sink read.
 * @param sinks        the sinks in the order declared (a route's masks index them).
 * @param lookups      the lookups the enrich transforms use, opened and at their first version.
 */
public record PipelinePlan(
    PipelineConfig config,
    RecordLayout sourceLayout,
    RecordLayout layout,
    SourceFactory sourceFactory,
    ConfigValues sourceConfig,
    List<TransformPlan> transforms,
    List<SinkPlan> sinks,
    List<LiveLookup> lookups) implements AutoCloseable
{
    /** Closes the lookups' sources (a live one holds a connection or a consumer). */
    @Override
    public void close()
    {
        for (final LiveLookup l : lookups)
        {
            try
            {
                l.close();
            }
            catch (final Exception e)
            {
                org.slf4j.LoggerFactory.getLogger(PipelinePlan.class).warn("closing lookup '{}': {}", l.name(),
                    e.toString());
            }
        }
    }

    /**
     * @return how the journal is kept, or null when the pipeline runs without one: on where {@code journal.enabled}
     * says so.
     */
    public dev.dataforge.journal.JournalSettings journal()
    {
        final dev.dataforge.core.config.JournalConfig j = config.journal();
        if (!Boolean.TRUE.equals(j.enabled()))
        {
            return null;
        }
        final java.nio.file.Path base = config.baseDirectory() == null ? java.nio.file.Path.of("") :
            config.baseDirectory();
        final java.nio.file.Path path = j.path() != null ? j.path() :
            base.resolve("data").resolve(name()).resolve("journal");
        return dev.dataforge.journal.JournalSettings.of(path)
            .withRollCycle(dev.dataforge.journal.JournalRollCycle.parse(j.rollCycle()))
            .withRetentionTime(j.retentionTime())
            .withRetentionSize(j.retentionSize())
            .withSync(dev.dataforge.journal.SyncPolicy.parse(j.sync()));
    }

    public String name()
    {
        return config.name();
    }

    /** @return the pipeline's source as its other connectors see it, before any source runs. */
    public PipelineSource plannedSource()
    {
        return new RunningSource(config.source().type(), sourceConfig);
    }

    public ConnectorContext sourceContext(final PipelineSource source)
    {
        return new ConnectorContext(name(), sourceLayout, sourceConfig, config.baseDirectory(), source);
    }

    /** The context of {@code sink}, under its checkpoint name (its own in a pipeline of named sinks). */
    public ConnectorContext sinkContext(final SinkPlan sink, final PipelineSource source)
    {
        return new ConnectorContext(sink.checkpointName(name()), layout, sink.values(), config.baseDirectory(),
            source);
    }

    /** The dead-letter queue's context for {@code sink}: each sink writes the dead letters it settles. */
    public ConnectorContext deadLetterContext(final SinkPlan sink, final PipelineSource source)
    {
        return new ConnectorContext(sink.checkpointName(name()), layout, sink.deadLetterValues(),
            config.baseDirectory(), source);
    }
}

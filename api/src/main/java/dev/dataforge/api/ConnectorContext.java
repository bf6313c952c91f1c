package dev.dataforge.api;

import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.codec.RecordLayout;

import java.nio.file.Path;

/**
 * What a connector is given when the pipeline is built.
 *
 * @param pipelineName  the pipeline's name (checkpoints and default names use it).
 * @param layout        the layout of the events the connector reads or writes: for a sink, the layout after every
 *                      enrich transform, so enriched columns are there.
 * @param config        the connector's validated {@code config:} block.
 * @param baseDirectory the pipeline file's directory; relative paths resolve against it.
 * @param source        the pipeline's source as the other connectors see it: its type, its config, and what the
 *                      running source offers them (a Kafka sink finds the Kafka source's consumer group there).
 */
public record ConnectorContext(String pipelineName, RecordLayout layout, ConfigValues config, Path baseDirectory,
    PipelineSource source)
{
    /** A context with no pipeline source to look at (a connector built on its own, as in tests). */
    public ConnectorContext(final String pipelineName, final RecordLayout layout, final ConfigValues config,
        final Path baseDirectory)
    {
        this(pipelineName, layout, config, baseDirectory, PipelineSource.NONE);
    }
}

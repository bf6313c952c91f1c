package dev.dataforge.core.spi;

import dev.dataforge.codec.RecordLayout;
import dev.dataforge.core.config.ConfigValues;

import java.nio.file.Path;

/**
 * What a connector is given when the pipeline is built.
 *
 * @param pipelineName  the pipeline's name (checkpoints and default names use it).
 * @param layout        the layout of the records the connector reads or writes: for a sink, the layout after every
 *                      enrich stage, so enriched columns are there.
 * @param config        the connector's validated {@code config:} block.
 * @param baseDirectory the pipeline file's directory; relative paths resolve against it.
 */
public record ConnectorContext(String pipelineName, RecordLayout layout, ConfigValues config, Path baseDirectory)
{
}

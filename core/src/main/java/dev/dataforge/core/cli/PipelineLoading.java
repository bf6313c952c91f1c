package dev.dataforge.core.cli;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.core.config.PipelineConfig;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.pipeline.PipelinePlanner;

import java.nio.file.Path;
import java.util.Map;

/**
 * Loads and plans a pipeline file for a command: config, connectors, expressions, lookups.
 */
final class PipelineLoading
{
    private PipelineLoading()
    {
    }

    /** @throws ConfigException with {@code file:line:column: message}. */
    static PipelinePlan plan(final Path file, final Map<String, String> env)
    {
        final PipelineConfig config = new PipelineConfigLoader(env).load(file);
        return new PipelinePlanner(new Connectors()).plan(config);
    }
}

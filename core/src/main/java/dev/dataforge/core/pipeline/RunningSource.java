package dev.dataforge.core.pipeline;

import dev.dataforge.api.PipelineSource;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.source.Source;

/**
 * The pipeline's source as the engine hands it to the sinks and the dead-letter queue: its type and config from the
 * plan, and, once the runtime has created it, the running source's features.
 */
public final class RunningSource implements PipelineSource
{
    private final String type;
    private final ConfigValues config;
    private volatile Source source;

    public RunningSource(final String type, final ConfigValues config)
    {
        this.type = type;
        this.config = config;
    }

    /** The source is created: its features are now available. */
    public void running(final Source created)
    {
        this.source = created;
    }

    @Override
    public String type()
    {
        return type;
    }

    @Override
    public ConfigValues config()
    {
        return config;
    }

    @Override
    public <T> T feature(final Class<T> kind)
    {
        final Source s = source;
        return s == null ? null : s.feature(kind);
    }
}

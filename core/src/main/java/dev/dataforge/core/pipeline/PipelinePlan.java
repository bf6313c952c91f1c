package dev.dataforge.core.pipeline;

import dev.dataforge.codec.RecordLayout;
import dev.dataforge.core.config.ConfigValues;
import dev.dataforge.core.config.PipelineConfig;
import dev.dataforge.core.spi.ConnectorContext;
import dev.dataforge.core.spi.SinkFactory;
import dev.dataforge.core.spi.SourceFactory;

import java.util.List;

/**
 * A pipeline checked and compiled, ready to run: every config error has been reported by now. Nothing is
 * connected yet; {@code validate} stops here.
 *
 * @param sourceLayout layout of the records the source writes.
 * @param layout       layout after every enrich stage: what filters after them and the sink read.
 */
public record PipelinePlan(
    PipelineConfig config,
    RecordLayout sourceLayout,
    RecordLayout layout,
    SourceFactory sourceFactory,
    ConfigValues sourceConfig,
    List<TransformPlan> transforms,
    SinkFactory sinkFactory,
    ConfigValues sinkConfig)
{
    public String name()
    {
        return config.name();
    }

    public ConnectorContext sourceContext()
    {
        return new ConnectorContext(name(), sourceLayout, sourceConfig, config.baseDirectory());
    }

    public ConnectorContext sinkContext()
    {
        return new ConnectorContext(name(), layout, sinkConfig, config.baseDirectory());
    }
}

package dev.dataforge.core.pipeline;

import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.deadletter.DeadLetterQueueFactory;
import dev.dataforge.api.sink.SinkFactory;
import dev.dataforge.core.config.SinkConfig;

/**
 * One sink of a plan: its config, its place among the pipeline's sinks (the bit a route sets for it), and its
 * connector and its dead-letter queue's, each with its config bound to the connector's spec.
 */
public record SinkPlan(SinkConfig config, int index, SinkFactory factory, ConfigValues values,
    DeadLetterQueueFactory deadLetterFactory, ConfigValues deadLetterValues)
{
    public String name()
    {
        return config.name();
    }

    /** @return the sink's bit in an event's sink mask. */
    public long bit()
    {
        return 1L << index;
    }

    /** @see SinkConfig#checkpointName */
    public String checkpointName(final String pipeline)
    {
        return config.checkpointName(pipeline);
    }
}

package dev.dataforge.core.config;

import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.Location;

/**
 * One sink: the connector type and config, and the batching and retry settings of its sink stage.
 *
 * @param name         the sink's name: its key under {@code sinks:}, or its type for a pipeline's single
 *                     {@code sink:}. Routes, metrics ({@code sink} label) and the summary use it.
 * @param named        true when declared under {@code sinks:}: its checkpoints and default names are then its own
 *                     ({@link #checkpointName}), so two sinks into one database never share a checkpoint row.
 * @param deadLetter   the sink's dead-letter queue: its own {@code dead_letter:}, or the pipeline's.
 */
public record SinkConfig(String name, boolean named, String type, Location typeLocation, ConfigNode config,
    Location location, BatchConfig batch, RetryConfig retry, DeadLetterConfig deadLetter)
{
    /**
     * @return the name this sink's checkpoints, default table and dead-letter names are kept under: the pipeline's
     * name for a single {@code sink:} (as before there were several), {@code pipeline/sink} for a named one ('/'
     * cannot occur in a pipeline's name, so the two never meet).
     */
    public String checkpointName(final String pipeline)
    {
        return named ? pipeline + "/" + name : pipeline;
    }

    /** @return the name of this sink's stage: {@code sink}, or {@code sink.NAME} for a named sink. */
    public String stageName()
    {
        return named ? "sink." + name : "sink";
    }
}

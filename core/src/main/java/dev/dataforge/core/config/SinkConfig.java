package dev.dataforge.core.config;

import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.Location;

/**
 * The {@code sink:} section: the connector type and config, and the batching and retry settings of the sink stage.
 */
public record SinkConfig(
    String type, Location typeLocation, ConfigNode config, Location location, BatchConfig batch, RetryConfig retry)
{
}

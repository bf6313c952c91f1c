package dev.dataforge.api.sink;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigSpec;

import java.time.Duration;

/**
 * Makes sinks of one {@code type}. Found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.dataforge.api.sink.SinkFactory}.
 */
public interface SinkFactory
{
    String type();

    ConfigSpec spec();

    Sink create(ConnectorContext context) throws Exception;

    /**
     * @return the {@code batch.linger} of a pipeline file that sets none: how long a commit may be held back for
     * more events. Zero (the default) commits at every end of a ring batch, so that batches grow by themselves under
     * load; a sink whose commit costs several round trips (a Kafka transaction) caps its throughput that way and
     * says how long it prefers to gather instead.
     */
    default Duration defaultLinger()
    {
        return Duration.ZERO;
    }
}

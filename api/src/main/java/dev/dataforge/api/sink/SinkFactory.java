package dev.dataforge.api.sink;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigSpec;

/**
 * Makes sinks of one {@code type}. Found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.dataforge.api.sink.SinkFactory}.
 */
public interface SinkFactory
{
    String type();

    ConfigSpec spec();

    Sink create(ConnectorContext context) throws Exception;
}

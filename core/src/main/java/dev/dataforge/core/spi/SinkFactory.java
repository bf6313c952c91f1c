package dev.dataforge.core.spi;

import dev.dataforge.core.config.ConfigSpec;

/**
 * Makes sinks of one {@code type}. Found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.dataforge.core.spi.SinkFactory}.
 */
public interface SinkFactory
{
    String type();

    ConfigSpec spec();

    Sink create(ConnectorContext context) throws Exception;
}

package dev.dataforge.core.spi;

import dev.dataforge.core.config.ConfigSpec;

/**
 * Makes sources of one {@code type}. Found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.dataforge.core.spi.SourceFactory}.
 */
public interface SourceFactory
{
    String type();

    ConfigSpec spec();

    Source create(ConnectorContext context) throws Exception;
}

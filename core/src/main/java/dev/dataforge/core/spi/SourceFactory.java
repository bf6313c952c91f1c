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

    /**
     * The layout of this source's records, decided when the pipeline is planned (before transforms are compiled
     * against it): by default the built-in UserEvent schema. A source may read a given schema or infer one.
     *
     * @throws dev.dataforge.core.config.ConfigException when the schema settings are wrong, saying where.
     */
    default dev.dataforge.codec.RecordLayout layout(final dev.dataforge.core.config.ConfigValues config)
        throws Exception
    {
        return dev.dataforge.codec.SbeLayouts.userEvent();
    }
}

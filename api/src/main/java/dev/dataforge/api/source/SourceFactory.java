package dev.dataforge.api.source;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;

import java.util.ServiceLoader;

/**
 * Makes sources of one {@code type}. Found with {@link ServiceLoader}: list the class in
 * {@code META-INF/services/dev.dataforge.api.source.SourceFactory}.
 */
public interface SourceFactory
{
    String type();

    ConfigSpec spec();

    Source create(ConnectorContext context) throws Exception;

    /**
     * The layout of this source's events, decided when the pipeline is planned (before transforms are compiled
     * against it): by default the built-in UserEvent schema. A source may read a given schema or infer one.
     *
     * @throws ConfigException when the schema settings are wrong, saying where.
     */
    default RecordLayout layout(final ConfigValues config) throws Exception
    {
        return SbeLayouts.userEvent();
    }
}

package dev.dataforge.api;

import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.source.Source;

/**
 * The pipeline's source as its sinks and its dead-letter queue see it. This is how two connectors of one pipeline
 * meet: the engine hands each the source it runs, and nothing else couples them. A Kafka sink asks for the Kafka
 * source's consumer group here to commit the source's offsets in its own transaction.
 */
public interface PipelineSource
{
    /** No source: for connectors built on their own. */
    PipelineSource NONE = new PipelineSource()
    {
        @Override
        public String type()
        {
            return "none";
        }

        @Override
        public ConfigValues config()
        {
            return null;
        }

        @Override
        public <T> T feature(final Class<T> type)
        {
            return null;
        }
    };

    /** @return the source's {@code type}, e.g. {@code kafka} or {@code generator}. */
    String type();

    /** @return the source's validated {@code config:} block, or null when there is no source. */
    ConfigValues config();

    /**
     * @return what the running source offers as {@code type} ({@link Source#feature}), or null before the source
     * is created or when it offers nothing of that type.
     */
    <T> T feature(Class<T> type);
}

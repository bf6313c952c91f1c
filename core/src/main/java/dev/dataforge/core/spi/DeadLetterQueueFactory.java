package dev.dataforge.core.spi;

import dev.dataforge.core.config.DeadLetterConfig;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.runtime.DeadLetterQueue;

/**
 * Opens dead-letter queues of one {@code dead_letter.type} other than {@code file} (built in). Found with
 * {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.dataforge.core.spi.DeadLetterQueueFactory}.
 */
public interface DeadLetterQueueFactory
{
    String type();

    /**
     * Checks the config when the pipeline is planned (so {@code validate} reports it).
     *
     * @throws dev.dataforge.core.config.ConfigException saying what is wrong and where.
     */
    void validate(DeadLetterConfig config, PipelinePlan plan);

    DeadLetterQueue open(DeadLetterConfig config, PipelinePlan plan) throws Exception;

    /** @return the factory of {@code type}, or null when none is on the class path. */
    static DeadLetterQueueFactory find(final String type)
    {
        for (final DeadLetterQueueFactory f : java.util.ServiceLoader.load(DeadLetterQueueFactory.class))
        {
            if (f.type().equals(type))
            {
                return f;
            }
        }
        return null;
    }
}

package dev.dataforge.core.runtime;

import dev.dataforge.core.config.DeadLetterConfig;
import dev.dataforge.core.pipeline.PipelinePlan;

/**
 * Opens the dead-letter queue a pipeline's config asks for.
 */
final class DeadLetterQueues
{
    private DeadLetterQueues()
    {
    }

    static DeadLetterQueue open(final DeadLetterConfig config, final PipelinePlan plan) throws Exception
    {
        if ("file".equals(config.type()))
        {
            return new FileDeadLetterQueue(config.path(), plan.name(), plan.layout());
        }
        final dev.dataforge.core.spi.DeadLetterQueueFactory factory =
            dev.dataforge.core.spi.DeadLetterQueueFactory.find(config.type());
        if (factory == null)
        {
            throw new IllegalArgumentException("dead_letter type '" + config.type() + "' needs its connector on the " +
                "class path");
        }
        return factory.open(config, plan);
    }
}

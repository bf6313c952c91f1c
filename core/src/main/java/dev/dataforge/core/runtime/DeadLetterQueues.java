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

    static DeadLetterQueue open(final DeadLetterConfig config, final PipelinePlan plan)
    {
        if (!"file".equals(config.type()))
        {
            throw new IllegalArgumentException("unknown dead-letter queue type '" + config.type() + "'");
        }
        return new FileDeadLetterQueue(config.path(), plan.name(), plan.layout());
    }
}

package dev.dataforge.core.runtime;

import dev.dataforge.core.metrics.PipelineMetrics;
import dev.dataforge.core.pipeline.TransformPlan;

import java.util.List;

/**
 * Builds the fused steps of the process stage from the plan's transforms.
 */
final class Steps
{
    private Steps()
    {
    }

    static Step[] create(final List<TransformPlan> transforms, final PipelineMetrics metrics)
    {
        final Step[] steps = new Step[transforms.size()];
        for (int i = 0; i < steps.length; i++)
        {
            final TransformPlan t = transforms.get(i);
            if (t instanceof TransformPlan.Filter)
            {
                steps[i] = new FilterStep(((TransformPlan.Filter)t).condition(), metrics.stage(t.name()));
            }
            else
            {
                final TransformPlan.Enrich e = (TransformPlan.Enrich)t;
                steps[i] = new EnrichStep(e.enricher(), e.onMiss(), e.lookup(), metrics.stage(t.name()));
            }
        }
        return steps;
    }
}

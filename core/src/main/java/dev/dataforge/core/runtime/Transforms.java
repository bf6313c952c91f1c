package dev.dataforge.core.runtime;

import dev.dataforge.core.expr.Condition;
import dev.dataforge.core.metrics.PipelineMetrics;
import dev.dataforge.core.pipeline.TransformPlan;
import dev.dataforge.core.processing.EnrichTransform;
import dev.dataforge.core.processing.FilterTransform;
import dev.dataforge.core.processing.RouteTransform;
import dev.dataforge.core.processing.Transform;

import java.util.List;

/**
 * Builds the process stage's fused transforms from the plan.
 */
public final class Transforms
{
    private Transforms()
    {
    }

    public static Transform[] create(final List<TransformPlan> transforms, final PipelineMetrics metrics)
    {
        final Transform[] out = new Transform[transforms.size()];
        for (int i = 0; i < out.length; i++)
        {
            final TransformPlan t = transforms.get(i);
            if (t instanceof TransformPlan.Filter)
            {
                out[i] = new FilterTransform(((TransformPlan.Filter)t).condition(), metrics.transform(t.name()));
            }
            else if (t instanceof TransformPlan.Route)
            {
                final TransformPlan.Route r = (TransformPlan.Route)t;
                out[i] = new RouteTransform(r.conditions().toArray(new Condition[0]), r.masks(), r.defaultMask(),
                    metrics.transform(t.name()));
            }
            else
            {
                final TransformPlan.Enrich e = (TransformPlan.Enrich)t;
                out[i] = new EnrichTransform(e.enricher(), e.onMiss(), e.lookup(), metrics.transform(t.name()));
            }
        }
        return out;
    }
}

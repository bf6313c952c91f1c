package dev.dataforge.core.pipeline;

import dev.dataforge.core.config.OnMiss;
import dev.dataforge.core.expr.Condition;
import dev.dataforge.core.processing.lookup.LiveEnricher;

/**
 * One transform, compiled against the layout it sees: a filter's condition or an enrich stage's bound lookup.
 */
public sealed interface TransformPlan permits TransformPlan.Filter, TransformPlan.Enrich
{
    /** @return a stable metric name such as {@code filter.1}. */
    String name();

    record Filter(String name, Condition condition) implements TransformPlan
    {
    }

    record Enrich(String name, String lookup, LiveEnricher enricher, OnMiss onMiss) implements TransformPlan
    {
    }
}

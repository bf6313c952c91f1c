package dev.dataforge.core.pipeline;

import dev.dataforge.core.config.OnMiss;
import dev.dataforge.core.expr.Condition;
import dev.dataforge.core.processing.lookup.LiveEnricher;

import java.util.List;

/**
 * One transform, compiled against the layout it sees: a filter's condition, an enrich stage's bound lookup, or a
 * route's conditions and sink masks.
 */
public sealed interface TransformPlan permits TransformPlan.Filter, TransformPlan.Enrich,
    TransformPlan.Route
{
    /** @return a stable metric name such as {@code filter.1}. */
    String name();

    record Filter(String name, Condition condition) implements TransformPlan
    {
    }

    record Enrich(String name, String lookup, LiveEnricher enricher, OnMiss onMiss) implements TransformPlan
    {
    }

    /**
     * @param conditions  each route's condition, in the order written.
     * @param masks       each route's sinks, bit {@code i} for the pipeline's sink {@code i}.
     * @param defaultMask the sinks of events no route takes; 0 when they count as filtered.
     */
    record Route(String name, List<Condition> conditions, long[] masks, long defaultMask) implements TransformPlan
    {
    }
}

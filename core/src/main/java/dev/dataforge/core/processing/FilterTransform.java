package dev.dataforge.core.processing;

import dev.dataforge.core.expr.Condition;
import dev.dataforge.core.expr.EvaluationException;
import dev.dataforge.core.metrics.EventMetrics;
import dev.dataforge.core.ring.EventSlot;
import org.agrona.MutableDirectBuffer;

/**
 * Keeps the events whose condition is true; an event whose condition is NULL does not pass (SQL {@code WHERE}).
 * An evaluation error (an overflow) sends the event to the dead-letter queue with the condition in the reason.
 */
public final class FilterTransform implements Transform
{
    private final Condition condition;
    private final EventMetrics metrics;
    private final String errorReason;

    public FilterTransform(final Condition condition, final EventMetrics metrics)
    {
        this.condition = condition;
        this.metrics = metrics;
        this.errorReason = "filter could not evaluate '" + condition.text() + "': ";
    }

    @Override
    public byte apply(final EventSlot slot, final MutableDirectBuffer buffer, final int base)
    {
        metrics.in().increment();
        try
        {
            if (condition.test(buffer, base))
            {
                metrics.out().increment();
                return EventSlot.PASS;
            }
            metrics.filtered().increment();
            return EventSlot.FILTERED;
        }
        catch (final EvaluationException e)
        {
            metrics.errors().increment();
            metrics.deadLetters().increment();
            slot.deadLetter(metrics.name(), errorReason + e.getMessage());
            return EventSlot.DEAD_LETTER;
        }
    }

    @Override
    public String kind()
    {
        return "filter";
    }

    @Override
    public EventMetrics metrics()
    {
        return metrics;
    }
}

package dev.dataforge.core.processing;

import dev.dataforge.core.expr.Condition;
import dev.dataforge.core.expr.EvaluationException;
import dev.dataforge.core.metrics.EventMetrics;
import dev.dataforge.core.ring.EventSlot;
import org.agrona.MutableDirectBuffer;

/**
 * Decides which sinks an event goes to: the union of the sinks of every route whose condition is true (NULL counts
 * as false, as in SQL {@code WHERE}), or the default sinks when none is. An event that reaches no sink counts as
 * filtered here. An evaluation error (an overflow) dead-letters the event, naming the route's condition. The sinks
 * are a bit mask in the slot, so routing allocates nothing.
 */
public final class RouteTransform implements Transform
{
    private final Condition[] conditions;
    private final long[] masks;
    private final long defaultMask;
    private final EventMetrics metrics;

    public RouteTransform(final Condition[] conditions, final long[] masks, final long defaultMask,
        final EventMetrics metrics)
    {
        this.conditions = conditions.clone();
        this.masks = masks.clone();
        this.defaultMask = defaultMask;
        this.metrics = metrics;
    }

    @Override
    public byte apply(final EventSlot slot, final MutableDirectBuffer buffer, final int base)
    {
        metrics.in().increment();
        long to = 0;
        int i = 0;
        try
        {
            for (; i < conditions.length; i++)
            {
                if (conditions[i].test(buffer, base))
                {
                    to |= masks[i];
                }
            }
        }
        catch (final EvaluationException e)
        {
            metrics.errors().increment();
            metrics.deadLetters().increment();
            slot.deadLetter(metrics.name(), "route could not evaluate '" + conditions[i].text() + "': " +
                e.getMessage());
            return EventSlot.DEAD_LETTER;
        }
        if (to == 0)
        {
            to = defaultMask;
        }
        if (to == 0)
        {
            metrics.filtered().increment();
            return EventSlot.FILTERED;
        }
        slot.sinks(to);
        metrics.out().increment();
        return EventSlot.PASS;
    }

    @Override
    public String kind()
    {
        return "route";
    }

    @Override
    public EventMetrics metrics()
    {
        return metrics;
    }
}

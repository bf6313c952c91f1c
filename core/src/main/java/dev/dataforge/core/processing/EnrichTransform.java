package dev.dataforge.core.processing;

import dev.dataforge.core.config.OnMiss;
import dev.dataforge.core.metrics.EventMetrics;
import dev.dataforge.core.processing.lookup.LiveEnricher;
import dev.dataforge.core.ring.EventSlot;
import org.agrona.MutableDirectBuffer;

/**
 * Joins the event with a lookup table by key, writing the selected columns into the slot. The table is the version
 * the lookup holds now: a refresh swaps in a whole new one between two events. A miss writes NULLs and
 * then passes, drops, or dead-letters the event as {@code on_miss} says.
 */
public final class EnrichTransform implements Transform
{
    private final LiveEnricher enricher;
    private final OnMiss onMiss;
    private final EventMetrics metrics;
    private final String missReason;

    public EnrichTransform(final LiveEnricher enricher, final OnMiss onMiss, final String lookup, final EventMetrics metrics)
    {
        this.enricher = enricher;
        this.onMiss = onMiss;
        this.metrics = metrics;
        this.missReason = "no row in lookup '" + lookup + "' for the event's key (on_miss: dead_letter)";
    }

    @Override
    public byte apply(final EventSlot slot, final MutableDirectBuffer buffer, final int base)
    {
        metrics.in().increment();
        if (enricher.current().enrich(buffer, base)) // one version per event
        {
            metrics.out().increment();
            return EventSlot.PASS;
        }
        metrics.errors().increment();
        switch (onMiss)
        {
            case DROP:
                metrics.filtered().increment();
                return EventSlot.FILTERED;
            case DEAD_LETTER:
                metrics.deadLetters().increment();
                slot.deadLetter(metrics.name(), missReason);
                return EventSlot.DEAD_LETTER;
            default:
                metrics.out().increment();
                return EventSlot.PASS;
        }
    }

    @Override
    public String kind()
    {
        return "enrich";
    }

    @Override
    public EventMetrics metrics()
    {
        return metrics;
    }
}

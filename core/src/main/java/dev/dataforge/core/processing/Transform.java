package dev.dataforge.core.processing;

import dev.dataforge.core.metrics.EventMetrics;
import dev.dataforge.core.ring.EventSlot;
import org.agrona.MutableDirectBuffer;

/**
 * One transform fused into the process stage (operator chaining): it reads and may rewrite the slot, and decides
 * whether the event goes on. Implementations allocate nothing per event.
 */
public interface Transform
{
    /**
     * @return {@link EventSlot#PASS}, {@link EventSlot#FILTERED}, or {@link EventSlot#DEAD_LETTER} after calling
     * {@link EventSlot#deadLetter} with the reason.
     */
    byte apply(EventSlot slot, MutableDirectBuffer buffer, int base);

    /** @return e.g. {@code filter} or {@code enrich}. */
    String kind();

    /** @return this transform's counters. */
    EventMetrics metrics();
}

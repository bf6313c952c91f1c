package dev.dataforge.core.runtime;

import dev.dataforge.core.metrics.StageMetrics;
import org.agrona.MutableDirectBuffer;

/**
 * One transform fused into the process stage (operator chaining): it reads and may rewrite the slot, and decides
 * whether the event goes on. Implementations allocate nothing per event.
 */
public interface Step
{
    /**
     * @return {@link EventSlot#PASS}, {@link EventSlot#FILTERED}, or {@link EventSlot#DEAD_LETTER} after calling
     * {@link EventSlot#deadLetter} with the reason.
     */
    byte apply(EventSlot slot, MutableDirectBuffer buffer, int base);

    /** @return e.g. {@code filter} or {@code enrich}. */
    String kind();

    /** @return this step's counters. */
    StageMetrics metrics();
}

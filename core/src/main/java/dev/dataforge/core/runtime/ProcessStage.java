package dev.dataforge.core.runtime;

import com.lmax.disruptor.EventHandler;
import dev.dataforge.core.metrics.StageMetrics;
import org.agrona.MutableDirectBuffer;

/**
 * The process stage: every transform of the pipeline fused into one handler (operator chaining), run in order on
 * each slot until one drops or dead-letters it. Latency is the stage's service time per event, averaged over each
 * batch the ring hands it (one clock read per batch, not per event).
 */
final class ProcessStage implements EventHandler<EventSlot>
{
    private final Step[] steps;
    private final MutableDirectBuffer memory;
    private final StageMetrics metrics;
    private final dev.dataforge.core.spi.RecordDecoder decoder;
    private final int recordLength;
    private long batchStartNanos;
    private long batchEvents;

    ProcessStage(final Step[] steps, final MutableDirectBuffer memory, final StageMetrics metrics)
    {
        this(steps, memory, metrics, null, 0);
    }

    /**
     * @param decoder the source's, for slots it published raw; null when it publishes none.
     * @param recordLength a decoded record's length.
     */
    ProcessStage(final Step[] steps, final MutableDirectBuffer memory, final StageMetrics metrics,
        final dev.dataforge.core.spi.RecordDecoder decoder, final int recordLength)
    {
        this.decoder = decoder;
        this.recordLength = recordLength;
        this.steps = steps;
        this.memory = memory;
        this.metrics = metrics;
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        batchStartNanos = System.nanoTime();
        batchEvents = batchSize;
    }

    private void decode(final EventSlot slot)
    {
        if (decoder == null)
        {
            throw new IllegalStateException("the source published a raw record but has no decoder");
        }
        final String reason = decoder.decode(memory, slot.base(), slot.length, slot.partition, slot.sourceOffset);
        if (reason == null)
        {
            slot.status = EventSlot.PASS;
            slot.length = recordLength;
        }
        else
        {
            slot.deadLetter("source", reason);
            metrics.deadLettered().increment();
        }
    }

    @Override
    public void onEvent(final EventSlot slot, final long sequence, final boolean endOfBatch)
    {
        metrics.in().increment();
        if (slot.status == EventSlot.RAW)
        {
            decode(slot);
        }
        if (slot.status == EventSlot.PASS)
        {
            final int base = slot.base();
            byte status = EventSlot.PASS;
            for (int i = 0; i < steps.length && status == EventSlot.PASS; i++)
            {
                status = steps[i].apply(slot, memory, base);
            }
            slot.status = status;
            switch (status)
            {
                case EventSlot.PASS: metrics.out().increment(); break;
                case EventSlot.FILTERED: metrics.filtered().increment(); break;
                default: metrics.deadLettered().increment(); break;
            }
        }
        if (endOfBatch && batchEvents > 0)
        {
            metrics.latency().record((System.nanoTime() - batchStartNanos) / batchEvents, batchEvents);
            batchEvents = 0;
        }
    }
}

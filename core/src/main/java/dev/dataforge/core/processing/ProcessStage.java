package dev.dataforge.core.processing;

import com.lmax.disruptor.EventHandler;
import dev.dataforge.api.deadletter.DeadLetter;
import dev.dataforge.api.source.RecordDecoder;
import dev.dataforge.core.metrics.EventMetrics;
import dev.dataforge.core.ring.EventSlot;
import dev.dataforge.codec.RecordLayout;
import org.agrona.MutableDirectBuffer;

/**
 * The process stage: every transform of the pipeline fused into one handler (operator chaining), run in order on
 * each slot until one drops or dead-letters it. A record the source published raw is decoded here first, with the
 * source's decoder. Latency is the stage's service time per event, averaged over each batch the ring hands it (one
 * clock read per batch, not per event).
 */
public final class ProcessStage implements EventHandler<EventSlot>
{
    private final Transform[] transforms;
    private final MutableDirectBuffer memory;
    private final EventMetrics metrics;
    private final RecordDecoder decoder;
    private final RecordLayout layout;
    private long batchStartNanos;
    private long batchEvents;

    public ProcessStage(final Transform[] transforms, final MutableDirectBuffer memory, final EventMetrics metrics)
    {
        this(transforms, memory, metrics, null, null);
    }

    /**
     * @param decoder      the source's, for slots it published raw; null when it publishes none.
     * @param layout       the source's layout, which says a decoded record's length.
     */
    public ProcessStage(final Transform[] transforms, final MutableDirectBuffer memory, final EventMetrics metrics,
        final RecordDecoder decoder, final RecordLayout layout)
    {
        this.decoder = decoder;
        this.layout = layout;
        this.transforms = transforms;
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
        final String reason = decoder.decode(memory, slot.base(), slot.length(), slot.partition(),
            slot.sourceOffset());
        if (reason == null)
        {
            slot.status(EventSlot.PASS);
            slot.length(layout.recordLength(memory, slot.base()));
        }
        else
        {
            slot.deadLetter(DeadLetter.SOURCE_STAGE, reason);
            metrics.deadLetters().increment();
        }
    }

    @Override
    public void onEvent(final EventSlot slot, final long sequence, final boolean endOfBatch)
    {
        metrics.in().increment();
        if (slot.status() == EventSlot.RAW)
        {
            decode(slot);
        }
        if (slot.status() == EventSlot.PASS)
        {
            final int base = slot.base();
            byte status = EventSlot.PASS;
            for (int i = 0; i < transforms.length && status == EventSlot.PASS; i++)
            {
                status = transforms[i].apply(slot, memory, base);
            }
            slot.status(status);
            switch (status)
            {
                case EventSlot.PASS: metrics.out().increment(); break;
                case EventSlot.FILTERED: metrics.filtered().increment(); break;
                default: metrics.deadLetters().increment(); break;
            }
        }
        if (endOfBatch && batchEvents > 0)
        {
            metrics.latency().record((System.nanoTime() - batchStartNanos) / batchEvents, batchEvents);
            batchEvents = 0;
        }
    }
}

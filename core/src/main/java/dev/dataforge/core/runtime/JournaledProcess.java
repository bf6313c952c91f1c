package dev.dataforge.core.runtime;

import com.lmax.disruptor.EventHandler;
import dev.dataforge.core.delivery.JournalStage;
import dev.dataforge.core.processing.ProcessStage;
import dev.dataforge.core.ring.EventSlot;

/**
 * The process stage and the journal stage on one thread: each event is processed, then journaled; at the end of a
 * ring batch the journal flushes and wakes the sinks' feeds. The ring is gated on this stage alone.
 */
final class JournaledProcess implements EventHandler<EventSlot>
{
    private final ProcessStage process;
    private final JournalStage journal;

    JournaledProcess(final ProcessStage process, final JournalStage journal)
    {
        this.process = process;
        this.journal = journal;
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        process.onBatchStart(batchSize, queueDepth);
        journal.onBatchStart();
    }

    @Override
    public void onEvent(final EventSlot event, final long sequence, final boolean endOfBatch) throws Exception
    {
        process.onEvent(event, sequence, endOfBatch);
        journal.onEvent(event);
        if (endOfBatch)
        {
            journal.endOfBatch();
        }
    }
}

package dev.dataforge.core.runtime;

import com.lmax.disruptor.EventHandler;
import dev.dataforge.core.ingestion.SourceLoop;
import dev.dataforge.core.processing.ProcessStage;
import dev.dataforge.core.ring.EventSlot;

/** The process and sink stages on one thread: each event is processed, then appended, in one pass. */
final class FusedStage implements EventHandler<EventSlot>
{
    private final ProcessStage process;
    private final SinkLifecycle sink;
    private final SourceLoop.Control pipeline;

    FusedStage(final ProcessStage process, final SinkLifecycle sink, final SourceLoop.Control pipeline)
    {
        this.process = process;
        this.sink = sink;
        this.pipeline = pipeline;
    }

    @Override
    public void onStart()
    {
        sink.onStart();
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        process.onBatchStart(batchSize, queueDepth);
        sink.onBatchStart(batchSize, queueDepth);
    }

    @Override
    public void onEvent(final EventSlot event, final long sequence, final boolean endOfBatch) throws Exception
    {
        process.onEvent(event, sequence, endOfBatch);
        try
        {
            sink.onEvent(event, sequence, endOfBatch);
        }
        catch (final Exception e)
        {
            pipeline.fail("sink", e);
            throw new StageHalted();
        }
    }

    @Override
    public void onTimeout(final long sequence)
    {
        try
        {
            sink.onTimeout(sequence);
        }
        catch (final Exception e)
        {
            pipeline.fail("sink", e);
            throw new StageHalted();
        }
    }

    @Override
    public void onShutdown()
    {
        sink.onShutdown();
    }
}

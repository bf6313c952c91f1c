package dev.dataforge.core.runtime;

import com.lmax.disruptor.EventHandler;
import dev.dataforge.core.ingestion.SourceLoop;
import dev.dataforge.core.processing.ProcessStage;
import dev.dataforge.core.ring.EventSlot;

/**
 * The process stage and every sink stage on one thread: each event is processed, then handed to each sink in the
 * order declared, in one pass.
 */
final class FusedStage implements EventHandler<EventSlot>
{
    private final ProcessStage process;
    private final SinkLifecycle[] sinks;
    private final SourceLoop.Control pipeline;

    FusedStage(final ProcessStage process, final SinkLifecycle[] sinks, final SourceLoop.Control pipeline)
    {
        this.process = process;
        this.sinks = sinks.clone();
        this.pipeline = pipeline;
    }

    @Override
    public void onStart()
    {
        for (final SinkLifecycle sink : sinks)
        {
            sink.onStart();
        }
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        process.onBatchStart(batchSize, queueDepth);
        for (final SinkLifecycle sink : sinks)
        {
            sink.onBatchStart(batchSize, queueDepth);
        }
    }

    @Override
    public void onEvent(final EventSlot event, final long sequence, final boolean endOfBatch) throws Exception
    {
        process.onEvent(event, sequence, endOfBatch);
        try
        {
            for (final SinkLifecycle sink : sinks)
            {
                sink.onEvent(event, sequence, endOfBatch);
            }
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
            for (final SinkLifecycle sink : sinks)
            {
                sink.onTimeout(sequence);
            }
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
        for (final SinkLifecycle sink : sinks)
        {
            sink.onShutdown();
        }
    }
}

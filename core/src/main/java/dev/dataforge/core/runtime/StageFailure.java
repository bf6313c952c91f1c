package dev.dataforge.core.runtime;

import com.lmax.disruptor.ExceptionHandler;
import dev.dataforge.core.ingestion.SourceLoop;
import dev.dataforge.core.ring.EventSlot;

/** A stage that throws stops the pipeline; the error is reported once, with the stage's name. */
final class StageFailure implements ExceptionHandler<EventSlot>
{
    private final String stage;
    private final SourceLoop.Control pipeline;

    StageFailure(final String stage, final SourceLoop.Control pipeline)
    {
        this.stage = stage;
        this.pipeline = pipeline;
    }

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final EventSlot event)
    {
        pipeline.fail(stage, ex);
        throw new StageHalted();
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        pipeline.fail(stage, ex);
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        pipeline.fail(stage, ex);
    }
}

package dev.dataforge.core.runtime;

import com.lmax.disruptor.EventHandler;
import dev.dataforge.api.sink.CheckpointStore;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.core.delivery.SinkStage;
import dev.dataforge.core.ingestion.SourceLoop;
import dev.dataforge.core.ring.EventSlot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs the sink's whole life on the sink stage's thread (drivers such as DuckDB's appender are confined to the
 * thread that made them): opens it when the thread starts, and when the processor halts commits what the stage
 * still holds and closes it.
 */
final class SinkLifecycle implements EventHandler<EventSlot>
{
    private static final Logger LOG = LoggerFactory.getLogger(SinkLifecycle.class);

    private final Sink sink;
    private final SinkStage stage;
    private final SourceLoop.Control pipeline;
    private final CompletableFuture<Throwable> opened = new CompletableFuture<>();
    private volatile CheckpointStore checkpointStore;

    SinkLifecycle(final Sink sink, final SinkStage stage, final SourceLoop.Control pipeline)
    {
        this.sink = sink;
        this.stage = stage;
        this.pipeline = pipeline;
    }

    @Override
    public void onStart()
    {
        try
        {
            sink.open();
            checkpointStore = sink.checkpointStore();
            opened.complete(null);
        }
        catch (final Throwable t)
        {
            opened.complete(t);
        }
    }

    /** @return the failure of {@link Sink#open()}, or null once it is open. */
    Throwable awaitOpen() throws InterruptedException
    {
        try
        {
            return opened.get();
        }
        catch (final ExecutionException e)
        {
            return e.getCause();
        }
    }

    /** @return the sink's checkpoint store (null when it keeps none), once {@link #awaitOpen()} returned null. */
    CheckpointStore checkpointStore()
    {
        return checkpointStore;
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        stage.onBatchStart(batchSize, queueDepth);
    }

    @Override
    public void onEvent(final EventSlot event, final long sequence, final boolean endOfBatch) throws Exception
    {
        stage.onEvent(event, sequence, endOfBatch);
    }

    @Override
    public void onTimeout(final long sequence) throws Exception
    {
        stage.onTimeout(sequence);
    }

    @Override
    public void onShutdown()
    {
        try
        {
            if (!pipeline.failed() && opened.getNow(null) == null)
            {
                stage.commit();
            }
        }
        catch (final Exception e)
        {
            pipeline.fail("sink", e);
        }
        finally
        {
            try
            {
                sink.close();
            }
            catch (final Exception e)
            {
                LOG.warn("closing the sink failed: {}", e.toString());
            }
        }
    }
}

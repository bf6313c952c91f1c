package dev.dataforge.core.runtime;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.Sequence;
import dev.dataforge.core.config.PipelineConfig;
import dev.dataforge.core.config.StageConfig;
import dev.dataforge.core.metrics.PipelineMetrics;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.pipeline.TransformPlan;
import dev.dataforge.core.spi.Sink;
import dev.dataforge.core.spi.Source;
import dev.dataforge.tuning.StageBarrier;
import dev.dataforge.tuning.StageWaitStrategy;
import dev.dataforge.tuning.ThreadPlacement;
import dev.dataforge.tuning.WaitStrategies;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A running pipeline: the ring, its stages on their threads, and the orderly stop.
 * <pre>
 *   source thread --publish--> [ ring ] --> process stage (filter, enrich, ... fused) --> sink stage --> sink
 * </pre>
 * The sink stage is gated on the process stage (and, once the journal lands, on the journal stage too, which runs
 * beside the process stage). {@link #stop()} stops the source, lets the ring drain into the sink, commits, and
 * closes everything; it is safe to call from a signal handler.
 */
public final class Pipeline
{
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final PipelinePlan plan;
    private final RunOptions options;
    private final PipelineMetrics metrics;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean stopRequested;

    public Pipeline(final PipelinePlan plan, final RunOptions options)
    {
        this.plan = plan;
        this.options = options;
        this.metrics = new PipelineMetrics(plan.name());
        metrics.stage(PipelineMetrics.SOURCE);
        metrics.stage(PipelineMetrics.PROCESS);
        for (final TransformPlan t : plan.transforms())
        {
            metrics.stage(t.name());
        }
        metrics.stage(PipelineMetrics.SINK);
    }

    public PipelineMetrics metrics()
    {
        return metrics;
    }

    private volatile dev.dataforge.core.spi.PartitionListener partitionListener;

    /** Hooks into the source's partition assignments (see {@link dev.dataforge.core.spi.PartitionListener}). */
    public Pipeline onPartitions(final dev.dataforge.core.spi.PartitionListener listener)
    {
        this.partitionListener = listener;
        return this;
    }

    public PipelinePlan plan()
    {
        return plan;
    }

    /** Asks the pipeline to stop: the source stops, the ring drains into the sink, the sink commits. */
    public void stop()
    {
        stopRequested = true;
    }

    /** Waits for {@link #run()} to finish after a {@link #stop()}. */
    public boolean awaitFinished(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return finished.await(timeout, unit);
    }

    boolean stopRequested()
    {
        return stopRequested || failure.get() != null;
    }

    void fail(final String stage, final Throwable t)
    {
        final String message = stage + " failed: " + (t.getMessage() != null ? t.getMessage() : t.toString());
        if (failure.compareAndSet(null, message))
        {
            LOG.debug("{}", message, t);
        }
        stopRequested = true;
    }

    /**
     * Runs until the source ends, a limit is reached, {@link #stop()} is called, or a stage fails.
     */
    public RunResult run() throws Exception
    {
        try
        {
            return runStages();
        }
        finally
        {
            finished.countDown();
        }
    }

    private RunResult runStages() throws Exception
    {
        final PipelineConfig config = plan.config();
        final Ring ring = new Ring(config.runtime().ringSize(), plan.layout().recordLength());
        final Step[] steps = Steps.create(plan.transforms(), metrics);

        final Sink sink = plan.sinkFactory().create(plan.sinkContext());
        try (Source source = plan.sourceFactory().create(plan.sourceContext());
            DeadLetterQueue deadLetters = DeadLetterQueues.open(config.deadLetter(), plan))
        {
            metrics.source(source::lag, source::newFields);

            final ProcessStage processStage = new ProcessStage(steps, ring.memory(),
                metrics.stage(PipelineMetrics.PROCESS), source.decoder(), plan.sourceLayout().recordLength());
            final SinkStage sinkStage = new SinkStage(sink, deadLetters, ring.memory(), plan.layout().recordLength(),
                config.sink().batch(), config.sink().retry(), metrics, config.source().type());

            final Sequence cursor = ring.cursorSequence();
            final long sinkTimeout = Math.max(1_000_000, config.sink().batch().linger().toNanos() / 2);
            final SinkLifecycle sinkLifecycle = new SinkLifecycle(sink, sinkStage);
            final List<BatchEventProcessor<EventSlot>> processors = new ArrayList<>();
            final List<Thread> stageThreads = new ArrayList<>();
            final BatchEventProcessor<EventSlot> last;
            if (config.runtime().sharedStageThread())
            {
                // process and sink fused on one thread: two threads in all, for small hosts
                final StageWaitStrategy wait = waitStrategy("process", sinkTimeout);
                ring.signal().register(wait);
                last = new BatchEventProcessorBuilder().build(ring.ringBuffer(), new StageBarrier(wait, cursor),
                    new FusedStage(processStage, sinkLifecycle));
                last.setExceptionHandler(new StageFailure("process"));
                processors.add(last);
                stageThreads.add(thread("process", last));
            }
            else
            {
                final StageWaitStrategy processWait = waitStrategy("process", 0);
                final StageWaitStrategy sinkWait = waitStrategy("sink", sinkTimeout);
                ring.signal().register(processWait);
                ring.signal().register(sinkWait);
                final BatchEventProcessor<EventSlot> process = new BatchEventProcessorBuilder()
                    .build(ring.ringBuffer(), new StageBarrier(processWait, cursor), processStage);
                last = new BatchEventProcessorBuilder()
                    .build(ring.ringBuffer(), new StageBarrier(sinkWait, cursor, process.getSequence()), sinkLifecycle);
                process.setExceptionHandler(new StageFailure("process"));
                last.setExceptionHandler(new StageFailure("sink"));
                processors.add(process);
                processors.add(last);
                stageThreads.add(thread("process", process));
                stageThreads.add(thread("sink", last));
            }
            final BatchEventProcessor<EventSlot> sinkProcessor = last;
            ring.ringBuffer().addGatingSequences(sinkProcessor.getSequence());
            metrics.ringOccupancy(() -> ring.ringBuffer().getCursor() - sinkProcessor.getSequence().get(),
                ring.size());

            final RingPublisher publisher = new RingPublisher(ring, plan.sourceLayout().recordLength(),
                metrics.stage(PipelineMetrics.SOURCE).out(), metrics.stage(PipelineMetrics.SOURCE).deadLettered(),
                metrics.backpressure());
            final long start = System.nanoTime();
            final long deadline = options.duration() == null ? 0 : start + options.duration().toNanos();
            final SourceLoop sourceLoop = new SourceLoop(source, publisher, options.maxEvents(), deadline,
                options.idleExit() == null ? 0 : options.idleExit().toNanos(), this);

            final Thread sourceThread = thread("source", sourceLoop);
            final Thread sinkThread = stageThreads.get(stageThreads.size() - 1);
            sinkThread.start();
            final Throwable openFailure = sinkLifecycle.awaitOpen();
            if (openFailure != null)
            {
                sinkProcessor.halt();
                sinkThread.join();
                throw openFailure instanceof Exception ? (Exception)openFailure : new IllegalStateException(openFailure);
            }
            if (partitionListener != null)
            {
                source.partitionListener(partitionListener);
            }
            source.open();
            for (final Thread t : stageThreads)
            {
                if (t != sinkThread)
                {
                    t.start();
                }
            }
            sourceThread.start();

            sourceThread.join();
            final long undelivered = drain(ring, sinkProcessor.getSequence());
            for (final BatchEventProcessor<EventSlot> p : processors)
            {
                p.halt();
            }
            for (final Thread t : stageThreads)
            {
                t.join();
            }
            final double elapsed = (System.nanoTime() - start) / 1e9;

            metrics.sample();
            final Histogram e2e = metrics.endToEnd().total();
            final String endReason = failure.get() != null ? "failed" : sourceLoop.endReason();
            return new RunResult(plan.name(), source.describe(), sink.describe() + " (" + sink.deliveryGuarantee() +
                ")", deadLetters.describe(), metrics.eventsIn(), metrics.delivered(), metrics.filtered(),
                metrics.deadLettered(), undelivered, metrics.commits().get(), elapsed, e2e, endReason, failure.get(),
                publisher.partitionCounts());
        }
    }

    /**
     * Waits until the sink stage has seen everything published, or a stage failed, or the drain timeout passed.
     *
     * @return how many published events the sink stage had not reached.
     */
    private long drain(final Ring ring, final Sequence sinkSequence)
    {
        final long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        final long target = ring.ringBuffer().getCursor();
        while (sinkSequence.get() < target && failure.get() == null && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(100_000);
        }
        final long left = target - sinkSequence.get();
        if (left > 0 && failure.get() == null)
        {
            LOG.warn("the ring did not drain within {}: {} events were not delivered", options.drainTimeout(), left);
        }
        return Math.max(0, left);
    }

    private StageWaitStrategy waitStrategy(final String stage, final long timeoutNanos)
    {
        final StageConfig stageConfig = plan.config().runtime().stages().get(stage);
        final String name = stageConfig != null && stageConfig.waitStrategy() != null ? stageConfig.waitStrategy() :
            plan.config().runtime().waitStrategy();
        return WaitStrategies.create(name, timeoutNanos);
    }

    private Thread thread(final String stage, final Runnable body)
    {
        final StageConfig stageConfig = plan.config().runtime().stages().get(stage);
        final Integer cpu = stageConfig == null ? null : stageConfig.cpu();
        final Thread thread = ThreadPlacement.newThread("dataforge-" + plan.name() + "-" + stage, cpu, body);
        thread.setUncaughtExceptionHandler((t, e) ->
        {
            if (!(e instanceof StageHalted))
            {
                fail(stage, e);
            }
        });
        return thread;
    }

    /**
     * Runs the sink's whole life on the sink stage's thread (drivers such as DuckDB's appender are confined to the
     * thread that made them): opens it when the thread starts, and when the processor halts commits what the stage
     * still holds and closes it.
     */
    private final class SinkLifecycle implements com.lmax.disruptor.EventHandler<EventSlot>
    {
        private final Sink sink;
        private final SinkStage stage;
        private final java.util.concurrent.CompletableFuture<Throwable> opened =
            new java.util.concurrent.CompletableFuture<>();

        SinkLifecycle(final Sink sink, final SinkStage stage)
        {
            this.sink = sink;
            this.stage = stage;
        }

        @Override
        public void onStart()
        {
            try
            {
                sink.open();
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
            catch (final java.util.concurrent.ExecutionException e)
            {
                return e.getCause();
            }
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
                if (failure.get() == null && opened.getNow(null) == null)
                {
                    stage.commit();
                }
            }
            catch (final Exception e)
            {
                fail("sink", e);
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

    /** The process and sink stages on one thread: each event is processed, then appended, in one pass. */
    private final class FusedStage implements com.lmax.disruptor.EventHandler<EventSlot>
    {
        private final ProcessStage process;
        private final SinkLifecycle sink;

        FusedStage(final ProcessStage process, final SinkLifecycle sink)
        {
            this.process = process;
            this.sink = sink;
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
                fail("sink", e);
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
                fail("sink", e);
                throw new StageHalted();
            }
        }

        @Override
        public void onShutdown()
        {
            sink.onShutdown();
        }
    }

    /** A stage that throws stops the pipeline; the error is reported once, with the stage's name. */
    private final class StageFailure implements ExceptionHandler<EventSlot>
    {
        private final String stage;

        StageFailure(final String stage)
        {
            this.stage = stage;
        }

        @Override
        public void handleEventException(final Throwable ex, final long sequence, final EventSlot event)
        {
            fail(stage, ex);
            throw new StageHalted();
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            fail(stage, ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            fail(stage, ex);
        }
    }

    /** Ends a failed stage's processor loop. */
    private static final class StageHalted extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        StageHalted()
        {
            super("stage halted", null, false, false);
        }
    }
}

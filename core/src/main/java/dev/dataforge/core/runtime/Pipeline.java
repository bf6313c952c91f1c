package dev.dataforge.core.runtime;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.Sequence;
import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.deadletter.DeadLetterQueue;
import dev.dataforge.api.deadletter.SinkDeadLetters;
import dev.dataforge.api.sink.CheckpointStore;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.source.PartitionListener;
import dev.dataforge.api.source.Source;
import dev.dataforge.core.config.BatchConfig;
import dev.dataforge.core.config.PipelineConfig;
import dev.dataforge.core.config.StageConfig;
import dev.dataforge.core.delivery.DeadLetters;
import dev.dataforge.core.delivery.SinkStage;
import dev.dataforge.core.ingestion.RingPublisher;
import dev.dataforge.core.ingestion.SourceLoop;
import dev.dataforge.core.metrics.PipelineMetrics;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.pipeline.RunningSource;
import dev.dataforge.core.pipeline.TransformPlan;
import dev.dataforge.core.processing.ProcessStage;
import dev.dataforge.core.ring.Claims;
import dev.dataforge.core.ring.EventSlot;
import dev.dataforge.core.ring.Ring;
import dev.dataforge.tuning.StageBarrier;
import dev.dataforge.tuning.StageWaitStrategy;
import dev.dataforge.tuning.ThreadPlacement;
import dev.dataforge.tuning.WaitStrategies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A running pipeline: the ring, the three layers' stages on their threads, and the orderly stop.
 * <pre>
 *   ingestion               processing                          delivery
 *   source thread --> [ ring ] --> process stage (decode, filter, enrich, ... fused) --> sink stage --> sink
 * </pre>
 * The sink stage is gated on the process stage. Below four CPUs both run fused on one thread
 * ({@code runtime.stage_threads: auto}). {@link #stop()} stops the source, lets the ring drain into the sink,
 * commits, and closes everything; it is safe to call from a signal handler.
 */
public final class Pipeline implements SourceLoop.Control
{
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final PipelinePlan plan;
    private final RunOptions options;
    private final PipelineMetrics metrics;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean stopRequested;
    private volatile PartitionListener partitionListener;

    public Pipeline(final PipelinePlan plan, final RunOptions options)
    {
        this.plan = plan;
        this.options = options;
        this.metrics = new PipelineMetrics(plan.name());
        metrics.lookups(plan.lookups());
        metrics.stage(PipelineMetrics.SOURCE);
        metrics.stage(PipelineMetrics.PROCESS);
        for (final TransformPlan t : plan.transforms())
        {
            metrics.transform(t.name());
        }
        metrics.stage(PipelineMetrics.SINK);
    }

    public PipelineMetrics metrics()
    {
        return metrics;
    }

    /** Hooks into the source's partition assignments (see {@link PartitionListener}). */
    public Pipeline onPartitions(final PartitionListener listener)
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

    @Override
    public boolean stopRequested()
    {
        return stopRequested || failure.get() != null;
    }

    @Override
    public boolean failed()
    {
        return failure.get() != null;
    }

    @Override
    public void fail(final String stage, final Throwable t)
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
     *
     * @throws ConfigException when the pipeline cannot run as configured (a {@code mode: batch} source without an
     * end), saying where.
     */
    public RunResult run() throws Exception
    {
        final LookupRefresher refresher = new LookupRefresher(plan.name(), plan.lookups()).start();
        try
        {
            return runStages();
        }
        finally
        {
            refresher.close();
            plan.close();
            metrics.health().stopped();
            finished.countDown();
        }
    }

    private RunResult runStages() throws Exception
    {
        final PipelineConfig config = plan.config();
        final Ring ring = new Ring(config.runtime().ringSize(), plan.layout().recordLength());
        final RunningSource running = new RunningSource(config.source().type(), plan.sourceConfig());
        try (Source source = plan.sourceFactory().create(plan.sourceContext(running)))
        {
            running.running(source);
            if (config.batch() && !source.endAtCurrentEnd())
            {
                throw new ConfigException(config.modeLocation(), "mode: batch needs a source that ends: " +
                    source.describe() + " runs for ever (a generator needs 'events')");
            }
            final Sink sink = plan.sinkFactory().create(plan.sinkContext(running));
            final DeadLetterQueue queue = plan.deadLetterFactory().open(plan.deadLetterContext(running));
            final boolean enlisted = sink.enlist(queue);
            if (queue instanceof SinkDeadLetters && !enlisted)
            {
                throw new ConfigException(config.deadLetter().typeLocation(), "dead_letter type sink: sink '" +
                    config.sink().type() + "' cannot take dead letters in its transactions (the SQL sinks can); " +
                    "use type file or kafka");
            }
            try (DeadLetters deadLetters = new DeadLetters(queue, plan.name(), plan.layout(), enlisted))
            {
                metrics.source(source::lag, source::newFields);
                metrics.topic(plan.sourceConfig().spec().option("topic") != null &&
                    plan.sourceConfig().isSet("topic") ? plan.sourceConfig().string("topic") :
                    config.source().type());
                metrics.sink(config.sink().type());
                return runStages(config, ring, source, sink, deadLetters);
            }
        }
    }

    private RunResult runStages(final PipelineConfig config, final Ring ring, final Source source, final Sink sink,
        final DeadLetters deadLetters) throws Exception
    {
        final Claims claims = new Claims();
        final ProcessStage processStage = new ProcessStage(Transforms.create(plan.transforms(), metrics),
            ring.memory(), metrics.stage(PipelineMetrics.PROCESS), source.decoder(),
            plan.sourceLayout().recordLength());
        final BatchConfig batch = config.sink().batch().resolved(plan.sinkFactory().defaultLinger());
        final SinkStage sinkStage = new SinkStage(sink, deadLetters, ring.memory(), plan.layout().recordLength(),
            batch, config.sink().retry(), metrics, claims, source::sourcePartition);

        final Sequence cursor = ring.cursorSequence();
        final long sinkTimeout = Math.max(1_000_000, batch.linger().toNanos() / 2);
        final SinkLifecycle sinkLifecycle = new SinkLifecycle(sink, sinkStage, this);
        final List<BatchEventProcessor<EventSlot>> processors = new ArrayList<>();
        final List<Thread> stageThreads = new ArrayList<>();
        final BatchEventProcessor<EventSlot> last;
        if (config.runtime().sharedStageThread())
        {
            // process and sink fused on one thread: two threads in all, for small hosts
            final StageWaitStrategy wait = waitStrategy("process", sinkTimeout);
            wait.timeoutOnlyWhen(sinkStage::hasWork);
            ring.signal().register(wait);
            last = new BatchEventProcessorBuilder().build(ring.ringBuffer(), new StageBarrier(wait, cursor),
                new FusedStage(processStage, sinkLifecycle, this));
            last.setExceptionHandler(new StageFailure("process", this));
            processors.add(last);
            stageThreads.add(thread("process", last));
        }
        else
        {
            final StageWaitStrategy processWait = waitStrategy("process", 0);
            final StageWaitStrategy sinkWait = waitStrategy("sink", sinkTimeout);
            sinkWait.timeoutOnlyWhen(sinkStage::hasWork);
            ring.signal().register(processWait);
            ring.signal().register(sinkWait);
            final BatchEventProcessor<EventSlot> process = new BatchEventProcessorBuilder()
                .build(ring.ringBuffer(), new StageBarrier(processWait, cursor), processStage);
            last = new BatchEventProcessorBuilder()
                .build(ring.ringBuffer(), new StageBarrier(sinkWait, cursor, process.getSequence()), sinkLifecycle);
            process.setExceptionHandler(new StageFailure("process", this));
            last.setExceptionHandler(new StageFailure("sink", this));
            processors.add(process);
            processors.add(last);
            stageThreads.add(thread("process", process));
            stageThreads.add(thread("sink", last));
        }
        final BatchEventProcessor<EventSlot> sinkProcessor = last;
        ring.ringBuffer().addGatingSequences(sinkProcessor.getSequence());
        metrics.ringOccupancy(() -> ring.ringBuffer().getCursor() - sinkProcessor.getSequence().get(), ring.size());

        final RingPublisher publisher = new RingPublisher(ring, plan.sourceLayout().recordLength(),
            metrics.stage(PipelineMetrics.SOURCE).out(), metrics.stage(PipelineMetrics.SOURCE).deadLetters(),
            metrics.backpressure(), claims);
        final long start = System.nanoTime();
        final long deadline = options.duration() == null ? 0 : start + options.duration().toNanos();
        final SourceLoop sourceLoop = new SourceLoop(source, publisher, options.maxEvents(), deadline,
            options.idleExit() == null ? 0 : options.idleExit().toNanos(),
            WaitStrategies.forSource(stageWait("source")), this,
            sink.commitsSourceOffsets() ? null : sinkStage::committedPositions);

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
        final CheckpointStore store = sinkLifecycle.checkpointStore();
        boolean halted = false;
        try
        {
            metrics.health().sinkOpen();
            source.partitionListener(new Recovery(plan.name(), source, store, claims, partitionListener,
                metrics.health(), sink.commitsSourceOffsets() ? null : sinkStage::recovered));
            source.open();
            metrics.health().sourceOpen(source::assigned);
            for (final Thread t : stageThreads)
            {
                if (t != sinkThread)
                {
                    t.start();
                }
            }
            sourceThread.start();

            sourceThread.join();
            metrics.health().stopping();
            final long undelivered = drain(ring, sinkProcessor.getSequence());
            halt(processors, stageThreads);
            halted = true;
            if (!sink.commitsSourceOffsets())
            {
                source.committed(sinkStage.committedPositions()); // the source thread has ended: a last lag hint
            }
            final double elapsed = (System.nanoTime() - start) / 1e9;

            metrics.sample();
            final String endReason = failure.get() != null ? "failed" : sourceLoop.endReason();
            return new RunResult(plan.name(), source.describe(), sink.describe() + " (" +
                sink.deliveryGuarantee() + ")", deadLetters.describe(), metrics.eventsIn(), metrics.delivered(),
                metrics.filtered(), metrics.deadLetters(), metrics.revoked(), undelivered, metrics.commits().get(),
                elapsed, metrics.endToEnd().total(), endReason, failure.get(), publisher.partitionCounts());
        }
        finally
        {
            if (!halted)
            {
                stopRequested = true;
                halt(processors, stageThreads);
            }
            if (store != null)
            {
                store.close();
            }
        }
    }

    /** Halts the stages and waits for their threads: the sink commits what it holds and closes. */
    private static void halt(final List<BatchEventProcessor<EventSlot>> processors, final List<Thread> threads)
        throws InterruptedException
    {
        for (final BatchEventProcessor<EventSlot> p : processors)
        {
            p.halt();
        }
        for (final Thread t : threads)
        {
            t.join();
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

    /** @return the wait strategy configured for {@code stage}, or the pipeline's. */
    private String stageWait(final String stage)
    {
        final StageConfig stageConfig = plan.config().runtime().stages().get(stage);
        return stageConfig != null && stageConfig.waitStrategy() != null ? stageConfig.waitStrategy() :
            plan.config().runtime().waitStrategy();
    }

    private StageWaitStrategy waitStrategy(final String stage, final long timeoutNanos)
    {
        return WaitStrategies.create(stageWait(stage), timeoutNanos);
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
}

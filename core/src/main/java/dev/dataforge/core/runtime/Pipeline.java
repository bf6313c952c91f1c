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
import dev.dataforge.core.delivery.JournalCodec;
import dev.dataforge.core.delivery.JournalStage;
import dev.dataforge.core.delivery.SinkStage;
import dev.dataforge.core.ingestion.RingPublisher;
import dev.dataforge.core.ingestion.SourceLoop;
import dev.dataforge.core.metrics.PipelineMetrics;
import dev.dataforge.core.metrics.SinkMetrics;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.pipeline.RunningSource;
import dev.dataforge.core.pipeline.SinkPlan;
import dev.dataforge.core.pipeline.TransformPlan;
import dev.dataforge.core.processing.ProcessStage;
import dev.dataforge.core.ring.Claims;
import dev.dataforge.core.ring.EventSlot;
import dev.dataforge.core.ring.Ring;
import dev.dataforge.journal.ChronicleJournal;
import dev.dataforge.journal.Journal;
import dev.dataforge.journal.JournalSettings;
import dev.dataforge.journal.TailRepair;
import dev.dataforge.tuning.StageBarrier;
import dev.dataforge.tuning.StageWaitStrategy;
import dev.dataforge.tuning.ThreadPlacement;
import dev.dataforge.tuning.WaitStrategies;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A running pipeline: the ring, the three layers' stages on their threads, and the orderly stop.
 * <pre>
 *   ingestion               processing                                     delivery
 *   source thread --> [ ring ] --> process stage (decode, filter, enrich, route: fused) --> sink stage A --> sink A
 *                                                                                     \--> sink stage B --> sink B
 * </pre>
 * Each sink stage is gated on the process stage, and the ring on every sink stage: a slot is reused once every sink
 * has seen it, so the slowest sink sets the pace. Below four CPUs the process stage and the sinks run fused on one
 * thread ({@code runtime.stage_threads: auto}). {@link #stop()} stops the source, lets the ring drain into the
 * sinks, commits, and closes everything; it is safe to call from a signal handler.
 */
public final class Pipeline implements SourceLoop.Control
{
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    /** Room for variable data a claim of a layout with variable fields takes by default (sources that know a
     * record's size, such as Kafka's, claim what it needs). */
    static final int VARIABLE_ROOM = 1024;

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
        for (final SinkPlan s : plan.sinks())
        {
            metrics.sink(s.name(), s.config().stageName());
        }
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

    /** One sink of the running pipeline: its connector, dead-letter queue, stage and lifecycle. */
    private record RunningSink(SinkPlan plan, Sink sink, DeadLetters deadLetters, SinkStage stage,
        SinkLifecycle lifecycle, BatchConfig batch, SinkMetrics metrics, DirectBuffer memory)
    {
    }

    private RunResult runStages() throws Exception
    {
        final PipelineConfig config = plan.config();
        final int slotBytes = plan.layout().isVariable() ? plan.layout().recordLength() + VARIABLE_ROOM :
            plan.layout().recordLength();
        final Ring ring = new Ring(config.runtime().ringSize(), slotBytes,
            config.runtime().ringBytes(org.agrona.BitUtil.align(slotBytes, 64)));
        final RunningSource running = new RunningSource(config.source().type(), plan.sourceConfig());
        final Claims claims = new Claims(plan.sinks().size());
        final List<RunningSink> sinks = new ArrayList<>();
        final boolean journalOn = plan.journal() != null;
        try (Source source = plan.sourceFactory().create(plan.sourceContext(running)))
        {
            running.running(source);
            if (config.batch() && !source.endAtCurrentEnd())
            {
                throw new ConfigException(config.modeLocation(), "mode: batch needs a source that ends: " +
                    source.describe() + " runs for ever (a generator needs 'events')");
            }
            RunningSink offsetsCommitter = null;
            for (final SinkPlan s : plan.sinks())
            {
                final RunningSink r = createSink(s, running, journalOn ? JournalFeed.newMemory(ring.maxClaim()) :
                    ring.memory(), claims, source);
                sinks.add(r);
                for (final RunningSink other : sinks)
                {
                    if (other != r && !r.deadLetters().enlisted() &&
                        other.deadLetters().describe().equals(r.deadLetters().describe()))
                    {
                        throw new ConfigException(s.config().deadLetter().location(), "sinks '" +
                            other.plan().name() +
                            "' and '" + s.name() + "' would write their dead letters to one queue, " +
                            r.deadLetters().describe() + ": each sink writes the dead letters it settles, so each " +
                            "needs its own; leave dead_letter's path unset (each sink then writes data/<pipeline>/" +
                            "<sink>/dead-letters.jsonl), or give each sink a dead_letter of its own (sinks: {NAME: " +
                            "{type: ..., dead_letter: {type: kafka, config: {topic: ...}}}})");
                    }
                }
                if (r.sink().commitsSourceOffsets())
                {
                    if (offsetsCommitter != null)
                    {
                        throw new ConfigException(s.config().typeLocation(), "sinks '" + offsetsCommitter.plan()
                            .name() + "' and '" + s.name() + "' both commit the source's consumer-group offsets " +
                            "in their transactions (Kafka sinks): one group has one offset per partition, so at " +
                            "most one such sink per pipeline");
                    }
                    offsetsCommitter = r;
                }
            }
            metrics.source(source::lag, source::newFields);
            metrics.topic(plan.sourceConfig().spec().option("topic") != null &&
                plan.sourceConfig().isSet("topic") ? plan.sourceConfig().string("topic") :
                config.source().type());
            if (journalOn)
            {
                try (Journal journal = openJournal(plan.journal()))
                {
                    return runJournaled(config, ring, source, sinks, claims, offsetsCommitter == null, journal);
                }
            }
            return runStages(config, ring, source, sinks, claims, offsetsCommitter == null);
        }
        finally
        {
            for (final RunningSink r : sinks)
            {
                r.deadLetters().close();
            }
        }
    }

    private RunningSink createSink(final SinkPlan s, final RunningSource running, final DirectBuffer memory,
        final Claims claims, final Source source) throws Exception
    {
        final Sink sink = s.factory().create(plan.sinkContext(s, running));
        final DeadLetterQueue queue = s.deadLetterFactory().open(plan.deadLetterContext(s, running));
        final boolean enlisted = sink.enlist(queue);
        if (queue instanceof SinkDeadLetters && !enlisted)
        {
            queue.close();
            throw new ConfigException(s.config().deadLetter().typeLocation(), "dead_letter type sink: sink '" +
                s.name() + "' (" + s.config().type() + ") cannot take dead letters in its transactions (the SQL " +
                "sinks can); use type file or kafka");
        }
        final DeadLetters deadLetters = new DeadLetters(queue, plan.name(), plan.layout(), enlisted);
        final BatchConfig batch = s.config().batch().resolved(s.factory().defaultLinger());
        final SinkMetrics sinkMetrics = metrics.sink(s.name(), s.config().stageName());
        final SinkStage stage = new SinkStage(sink, deadLetters, memory, plan.layout().recordLength(),
            batch, s.config().retry(), s.checkpointName(plan.name()), s.index(), sinkMetrics, metrics.health(),
            claims, source::sourcePartition);
        return new RunningSink(s, sink, deadLetters, stage, new SinkLifecycle(sink, stage, this), batch,
            sinkMetrics, memory);
    }

    private RunResult runStages(final PipelineConfig config, final Ring ring, final Source source,
        final List<RunningSink> sinks, final Claims claims, final boolean lagHints) throws Exception
    {
        final ProcessStage processStage = new ProcessStage(Transforms.create(plan.transforms(), metrics),
            ring.memory(), metrics.stage(PipelineMetrics.PROCESS), source.decoder(), plan.sourceLayout());
        final Sequence cursor = ring.cursorSequence();
        final List<BatchEventProcessor<EventSlot>> processors = new ArrayList<>();
        final List<Thread> stageThreads = new ArrayList<>();
        final List<Thread> sinkThreads = new ArrayList<>();
        final List<Sequence> sinkSequences = new ArrayList<>();
        if (config.runtime().sharedStageThread())
        {
            // process and the sinks fused on one thread: two threads in all, for small hosts
            long timeout = Long.MAX_VALUE;
            final SinkLifecycle[] lifecycles = new SinkLifecycle[sinks.size()];
            final SinkStage[] stages = new SinkStage[sinks.size()];
            for (int i = 0; i < lifecycles.length; i++)
            {
                lifecycles[i] = sinks.get(i).lifecycle();
                stages[i] = sinks.get(i).stage();
                timeout = Math.min(timeout, sinkTimeout(sinks.get(i).batch()));
            }
            final StageWaitStrategy wait = waitStrategy("process", timeout);
            wait.timeoutOnlyWhen(() -> anyWork(stages));
            ring.signal().register(wait);
            final BatchEventProcessor<EventSlot> fused = new BatchEventProcessorBuilder().build(ring.ringBuffer(),
                new StageBarrier(wait, cursor), new FusedStage(processStage, lifecycles, this));
            fused.setExceptionHandler(new StageFailure("process", this));
            processors.add(fused);
            final Thread thread = thread("process", fused);
            stageThreads.add(thread);
            sinkThreads.add(thread);
            sinkSequences.add(fused.getSequence());
        }
        else
        {
            final StageWaitStrategy processWait = waitStrategy("process", 0);
            ring.signal().register(processWait);
            final BatchEventProcessor<EventSlot> process = new BatchEventProcessorBuilder()
                .build(ring.ringBuffer(), new StageBarrier(processWait, cursor), processStage);
            process.setExceptionHandler(new StageFailure("process", this));
            processors.add(process);
            stageThreads.add(thread("process", process));
            for (final RunningSink r : sinks)
            {
                final String stage = r.plan().config().stageName();
                final StageWaitStrategy sinkWait = waitStrategy(stage, sinkTimeout(r.batch()));
                sinkWait.timeoutOnlyWhen(r.stage()::hasWork);
                ring.signal().register(sinkWait);
                final BatchEventProcessor<EventSlot> p = new BatchEventProcessorBuilder().build(ring.ringBuffer(),
                    new StageBarrier(sinkWait, cursor, process.getSequence()), r.lifecycle());
                p.setExceptionHandler(new StageFailure(stage, this));
                processors.add(p);
                final Thread thread = thread(stage, p);
                stageThreads.add(thread);
                sinkThreads.add(thread);
                sinkSequences.add(p.getSequence());
            }
        }
        final Sequence[] gating = sinkSequences.toArray(new Sequence[0]);
        ring.ringBuffer().addGatingSequences(gating);
        metrics.ringOccupancy(() -> ring.ringBuffer().getCursor() - slowest(gating), ring.size());

        final RingPublisher publisher = publisher(ring, claims);
        final long start = System.nanoTime();
        final SourceLoop sourceLoop = sourceLoop(source, publisher, start, lagHints, sinks);

        final Thread sourceThread = thread("source", sourceLoop);
        for (final Thread t : sinkThreads)
        {
            t.start();
        }
        final Throwable openFailure = awaitOpen(sinks);
        if (openFailure != null)
        {
            halt(processors, sinkThreads); // only the sinks' threads were started
            throw openFailure instanceof Exception ? (Exception)openFailure : new IllegalStateException(openFailure);
        }
        final List<Recovery.Target> targets = targets(sinks);
        boolean halted = false;
        try
        {
            metrics.health().sinkOpen();
            source.partitionListener(new Recovery(source, targets, claims, partitionListener, metrics.health(),
                null));
            source.open();
            metrics.health().sourceOpen(source::assigned);
            for (final Thread t : stageThreads)
            {
                if (!sinkThreads.contains(t))
                {
                    t.start();
                }
            }
            sourceThread.start();

            sourceThread.join();
            metrics.health().stopping();
            final long undelivered = drain(ring, gating);
            halt(processors, stageThreads);
            halted = true;
            if (lagHints)
            {
                source.committed(committedPositions(sinks)); // the source thread has ended: a last lag hint
            }
            final double elapsed = (System.nanoTime() - start) / 1e9;

            metrics.sample();
            final String endReason = failure.get() != null ? "failed" : sourceLoop.endReason();
            return result(source, sinks, publisher, undelivered, elapsed, endReason);
        }
        finally
        {
            if (!halted)
            {
                stopRequested = true;
                halt(processors, stageThreads);
            }
            for (final Recovery.Target t : targets)
            {
                if (t.store() != null)
                {
                    t.store().close();
                }
            }
        }
    }

    private static Journal openJournal(final JournalSettings settings)
    {
        final Journal journal = ChronicleJournal.open(settings);
        final TailRepair repair = journal.tailRepair();
        if (repair.cut())
        {
            LOG.warn("journal {}: {}", settings.path(), repair.description());
        }
        return journal;
    }

    /**
     * The journaled run: process and journal on one thread (the ring is gated on it alone), each sink on a thread of
     * its own reading the journal at its own pace.
     */
    private RunResult runJournaled(final PipelineConfig config, final Ring ring, final Source source,
        final List<RunningSink> sinks, final Claims claims, final boolean lagHints, final Journal journal)
        throws Exception
    {
        final long runStart = journal.lastIndex();
        final JournalCodec codec = new JournalCodec(plan.layout());
        final List<JournalFeed> feeds = new ArrayList<>();
        final JournalRecovery journalRecovery = new JournalRecovery(journal, runStart, feeds);
        final List<Thread> feedThreads = new ArrayList<>();
        for (final RunningSink r : sinks)
        {
            final JournalFeed feed = new JournalFeed(r.plan().config().stageName(), journal, codec, r.lifecycle(),
                r.stage(), claims, journalRecovery, runStart, sinkTimeout(r.batch()), this,
                (org.agrona.concurrent.UnsafeBuffer)r.memory());
            feeds.add(feed);
            feedThreads.add(thread(r.plan().config().stageName(), feed));
        }
        final ProcessStage processStage = new ProcessStage(Transforms.create(plan.transforms(), metrics),
            ring.memory(), metrics.stage(PipelineMetrics.PROCESS), source.decoder(), plan.sourceLayout());
        final JournalStage journalStage = new JournalStage(journal, codec, ring.memory(), source::sourcePartition,
            () -> neededIndex(feeds), () -> feeds.forEach(JournalFeed::wake), this::stopRequested,
            metrics.backpressure(), metrics.journalAppended());
        final StageWaitStrategy processWait = waitStrategy("process", 0);
        ring.signal().register(processWait);
        final BatchEventProcessor<EventSlot> process = new BatchEventProcessorBuilder().build(ring.ringBuffer(),
            new StageBarrier(processWait, ring.cursorSequence()), new JournaledProcess(processStage, journalStage));
        process.setExceptionHandler(new StageFailure("process", this));
        final Thread processThread = thread("process", process);
        final Sequence[] gating = {process.getSequence()};
        ring.ringBuffer().addGatingSequences(gating);
        metrics.ringOccupancy(() -> ring.ringBuffer().getCursor() - slowest(gating), ring.size());
        metrics.journal(journal::stats, () -> positions(feeds, sinks));
        final java.nio.file.Path journalDir = plan.journal().path();
        final JournalHousekeeper housekeeper = new JournalHousekeeper(journal, () -> neededIndex(feeds),
            () -> writePositions(journalDir, feeds, sinks), this);
        final Thread housekeeperThread = thread("journal-housekeeper", housekeeper);

        final RingPublisher publisher = publisher(ring, claims);
        final long start = System.nanoTime();
        final SourceLoop sourceLoop = sourceLoop(source, publisher, start, lagHints, sinks);
        final Thread sourceThread = thread("source", sourceLoop);
        for (final Thread t : feedThreads)
        {
            t.start();
        }
        housekeeperThread.start();
        boolean done = false;
        try
        {
            final Throwable openFailure = awaitOpen(sinks);
            if (openFailure != null)
            {
                throw openFailure instanceof Exception ? (Exception)openFailure :
                    new IllegalStateException(openFailure);
            }
            final List<Recovery.Target> targets = targets(sinks);
            metrics.health().sinkOpen();
            source.partitionListener(new Recovery(source, targets, claims, partitionListener, metrics.health(),
                journalRecovery));
            source.open();
            metrics.health().sourceOpen(source::assigned);
            processThread.start();
            sourceThread.start();
            sourceThread.join();
            metrics.health().stopping();
            final long undelivered = drain(ring, gating);
            process.halt();
            processThread.join();
            journalRecovery.startIdle();
            final long last = journal.lastIndex();
            drainFeeds(feeds, last);
            for (final JournalFeed f : feeds)
            {
                f.halt(last);
            }
            for (final Thread t : feedThreads)
            {
                t.join();
            }
            housekeeper.stop();
            housekeeperThread.join();
            writePositions(journalDir, feeds, sinks); // where each sink stopped
            done = true;
            if (lagHints)
            {
                source.committed(committedPositions(sinks));
            }
            final double elapsed = (System.nanoTime() - start) / 1e9;
            metrics.sample();
            final String endReason = failure.get() != null ? "failed" : sourceLoop.endReason();
            return result(source, sinks, publisher, undelivered, elapsed, endReason);
        }
        finally
        {
            if (!done)
            {
                stopRequested = true;
                process.halt();
                if (processThread.isAlive())
                {
                    processThread.join();
                }
                for (final JournalFeed f : feeds)
                {
                    f.abort();
                }
                for (final Thread t : feedThreads)
                {
                    t.join();
                }
                housekeeper.stop();
                housekeeperThread.join();
            }
            for (final RunningSink r : sinks)
            {
                final CheckpointStore store = r.lifecycle().checkpointStore();
                if (store != null)
                {
                    store.close();
                }
            }
        }
    }

    private RingPublisher publisher(final Ring ring, final Claims claims)
    {
        return new RingPublisher(ring, plan.sourceLayout().recordLength(), plan.sourceLayout(),
            metrics.stage(PipelineMetrics.SOURCE).out(), metrics.stage(PipelineMetrics.SOURCE).deadLetters(),
            metrics.backpressure(), claims);
    }

    private SourceLoop sourceLoop(final Source source, final RingPublisher publisher, final long start,
        final boolean lagHints, final List<RunningSink> sinks)
    {
        final long deadline = options.duration() == null ? 0 : start + options.duration().toNanos();
        return new SourceLoop(source, publisher, options.maxEvents(), deadline,
            options.idleExit() == null ? 0 : options.idleExit().toNanos(),
            WaitStrategies.forSource(stageWait("source")), this, lagHints ? () -> committedPositions(sinks) : null);
    }

    /** @return the first failure of a sink's {@code open()}, once every sink has opened or failed; null: all open. */
    private static Throwable awaitOpen(final List<RunningSink> sinks) throws InterruptedException
    {
        Throwable failure = null;
        for (final RunningSink r : sinks)
        {
            final Throwable t = r.lifecycle().awaitOpen();
            failure = failure == null ? t : failure;
        }
        return failure;
    }

    /** @return what recovery places each partition by: every sink's checkpoint store. */
    private List<Recovery.Target> targets(final List<RunningSink> sinks)
    {
        final List<Recovery.Target> targets = new ArrayList<>();
        for (final RunningSink r : sinks)
        {
            targets.add(new Recovery.Target(r.plan().name(), r.plan().checkpointName(plan.name()),
                r.lifecycle().checkpointStore(), r.stage()::recovered));
        }
        return targets;
    }

    /** Waits, up to the drain timeout, for every feed to have read up to {@code last}. */
    private void drainFeeds(final List<JournalFeed> feeds, final long last)
    {
        final long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        for (final JournalFeed f : feeds)
        {
            while (f.position() < last && failure.get() == null && System.nanoTime() - deadline < 0)
            {
                f.wake();
                LockSupport.parkNanos(1_000_000);
            }
            if (f.position() < last && failure.get() == null)
            {
                LOG.warn("a sink had not read up to the journal's end within {}: it resumes from its checkpoint " +
                    "at the next start (the journal holds the rest)", options.drainTimeout());
            }
        }
    }

    private static long neededIndex(final List<JournalFeed> feeds)
    {
        long needed = Long.MAX_VALUE;
        for (final JournalFeed f : feeds)
        {
            needed = Math.min(needed, f.neededIndex());
        }
        return needed;
    }

    /** For {@code journal stats}: each sink's read and settled index, in the journal's directory. */
    private void writePositions(final java.nio.file.Path dir, final List<JournalFeed> feeds,
        final List<RunningSink> sinks)
    {
        final Map<String, long[]> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < feeds.size(); i++)
        {
            out.put(sinks.get(i).plan().name(), new long[] {feeds.get(i).position(),
                feeds.get(i).neededIndex() - 1});
        }
        try
        {
            dev.dataforge.core.delivery.JournalPositions.write(dir, plan.name(), out);
        }
        catch (final java.io.IOException e)
        {
            LOG.debug("cannot write the sinks' journal positions in {}: {}", dir, e.toString());
        }
    }

    /** @return per sink name, the journal index it has read up to. */
    private static Map<String, Long> positions(final List<JournalFeed> feeds, final List<RunningSink> sinks)
    {
        final Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < feeds.size(); i++)
        {
            out.put(sinks.get(i).plan().name(), feeds.get(i).position());
        }
        return out;
    }

    private RunResult result(final Source source, final List<RunningSink> sinks, final RingPublisher publisher,
        final long undelivered, final double elapsed, final String endReason)
    {
        final List<RunResult.SinkResult> results = new ArrayList<>();
        for (final RunningSink r : sinks)
        {
            final SinkMetrics m = r.metrics();
            results.add(new RunResult.SinkResult(r.plan().name(), r.sink().describe() + " (" +
                r.sink().deliveryGuarantee() + ")", r.deadLetters().describe(), m.stage().in().get(),
                m.stage().out().get(), m.stage().filtered().get(), m.stage().deadLetters().get(),
                m.stage().revoked().get(), m.skipped().get(), m.commits().get()));
        }
        final RunResult.SinkResult first = results.get(0);
        return new RunResult(plan.name(), source.describe(), first.sink(), first.deadLetterQueue(),
            metrics.eventsIn(), first.delivered(), first.filtered(), first.deadLetters(), first.revoked(),
            undelivered, metrics.commits(), elapsed, metrics.endToEnd().total(), endReason, failure.get(),
            publisher.partitionCounts(), List.copyOf(results));
    }

    private static long sinkTimeout(final BatchConfig batch)
    {
        return Math.max(1_000_000, batch.linger().toNanos() / 2);
    }

    private static boolean anyWork(final SinkStage[] stages)
    {
        for (final SinkStage s : stages)
        {
            if (s.hasWork())
            {
                return true;
            }
        }
        return false;
    }

    private static long slowest(final Sequence[] sequences)
    {
        long min = Long.MAX_VALUE;
        for (final Sequence s : sequences)
        {
            min = Math.min(min, s.get());
        }
        return min;
    }

    /**
     * @return per partition the offset every sink has committed (the least of theirs), for the source's lag hints:
     * the group's offsets never run ahead of the sink furthest behind.
     */
    private static Map<Integer, Long> committedPositions(final List<RunningSink> sinks)
    {
        if (sinks.size() == 1)
        {
            return sinks.get(0).stage().committedPositions();
        }
        final Map<Integer, Long> least = new HashMap<>(sinks.get(0).stage().committedPositions());
        for (int i = 1; i < sinks.size(); i++)
        {
            final Map<Integer, Long> other = sinks.get(i).stage().committedPositions();
            least.keySet().retainAll(other.keySet());
            least.replaceAll((p, offset) -> Math.min(offset, other.get(p)));
        }
        return least;
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
     * @return how many published events the slowest sink stage had not reached.
     */
    private long drain(final Ring ring, final Sequence[] sinkSequences)
    {
        final long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        final long target = ring.ringBuffer().getCursor();
        while (slowest(sinkSequences) < target && failure.get() == null && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(100_000);
        }
        final long left = target - slowest(sinkSequences);
        if (left > 0 && failure.get() == null)
        {
            LOG.warn("the ring did not drain within {}: {} events were not delivered", options.drainTimeout(), left);
        }
        return Math.max(0, left);
    }

    /** @return the wait strategy configured for {@code stage}, or the pipeline's. */
    private String stageWait(final String stage)
    {
        StageConfig stageConfig = plan.config().runtime().stages().get(stage);
        if ((stageConfig == null || stageConfig.waitStrategy() == null) && stage.startsWith("sink."))
        {
            stageConfig = plan.config().runtime().stages().get("sink"); // a named sink waits as 'sink' says
        }
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

package dev.dataforge.core.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * All metrics of one running pipeline: a {@link StageMetrics} per stage in event-path order, the end-to-end latency
 * (source poll to sink commit) and a few gauges.
 */
public final class PipelineMetrics
{
    public static final String SOURCE = "source";
    public static final String PROCESS = "process";
    public static final String SINK = "sink";

    private final String pipeline;
    private final List<StageMetrics> stages = new ArrayList<>();
    private final LatencyRecorder endToEnd = new LatencyRecorder("end_to_end");
    private final Counter backpressure = new Counter("backpressure");
    private final Counter commits = new Counter("commits");
    private final Counter retries = new Counter("retries");
    private final LatencyRecorder commitLatency = new LatencyRecorder("commit");
    private final LatencyRecorder batchSize = new LatencyRecorder("batch_size");
    private volatile LongSupplier ringOccupancy = () -> 0;
    private volatile int ringSize = 1;

    public PipelineMetrics(final String pipeline)
    {
        this.pipeline = pipeline;
    }

    public String pipeline()
    {
        return pipeline;
    }

    /** Adds a stage (or a transform inside the process stage) in event-path order. */
    public synchronized StageMetrics stage(final String name)
    {
        for (final StageMetrics s : stages)
        {
            if (s.stage().equals(name))
            {
                return s;
            }
        }
        final StageMetrics s = new StageMetrics(name);
        stages.add(s);
        return s;
    }

    public synchronized List<StageMetrics> stages()
    {
        return Collections.unmodifiableList(new ArrayList<>(stages));
    }

    public LatencyRecorder endToEnd()
    {
        return endToEnd;
    }

    /** Times the source found the ring full. */
    public Counter backpressure()
    {
        return backpressure;
    }

    /** Sink commits. */
    public Counter commits()
    {
        return commits;
    }

    /** Batches retried after a transient sink failure. */
    public Counter retries()
    {
        return retries;
    }

    /** Time of each sink commit, nanoseconds. */
    public LatencyRecorder commitLatency()
    {
        return commitLatency;
    }

    /** Rows per committed batch (recorded as values, not nanoseconds). */
    public LatencyRecorder batchSize()
    {
        return batchSize;
    }

    private volatile java.util.function.Supplier<java.util.Map<Integer, Long>> sourceLag = java.util.Map::of;
    private volatile LongSupplier sourceNewFields = () -> 0;

    /** Where the source's per-partition lag and new-field count are read (its {@code lag()} and {@code newFields()}). */
    public void source(final java.util.function.Supplier<java.util.Map<Integer, Long>> lag, final LongSupplier newFields)
    {
        this.sourceLag = lag;
        this.sourceNewFields = newFields;
    }

    /** @return records behind the newest, per source partition (the source's latest snapshot). */
    public java.util.Map<Integer, Long> sourceLag()
    {
        return sourceLag.get();
    }

    /** @return field names seen in records but not in the schema. */
    public long sourceNewFields()
    {
        return sourceNewFields.getAsLong();
    }

    public void ringOccupancy(final LongSupplier occupancy, final int size)
    {
        this.ringOccupancy = occupancy;
        this.ringSize = size;
    }

    /** @return slots published but not yet released by the last stage. */
    public long ringOccupancy()
    {
        return ringOccupancy.getAsLong();
    }

    public int ringSize()
    {
        return ringSize;
    }

    // The sink stage sees every event last, so its counts are the ones that add up:
    // events in = delivered + filtered + dead-lettered (+ rows still pending a commit while running).

    public long eventsIn()
    {
        return stage(SOURCE).out().get();
    }

    public long filtered()
    {
        return stage(SINK).filtered().get();
    }

    public long deadLettered()
    {
        return stage(SINK).deadLettered().get();
    }

    public long delivered()
    {
        return stage(SINK).out().get();
    }

    /** Folds the interval histograms into their totals; the reporter calls it before reading. */
    public void sample()
    {
        endToEnd.sample();
        for (final StageMetrics s : stages())
        {
            s.latency().sample();
        }
    }
}

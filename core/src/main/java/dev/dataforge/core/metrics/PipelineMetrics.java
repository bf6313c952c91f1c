package dev.dataforge.core.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * All metrics of one running pipeline: an {@link EventMetrics} per stage and per transform in event-path order, the
 * end-to-end latency (source poll to sink commit) and a few gauges.
 */
public final class PipelineMetrics
{
    public static final String SOURCE = "source";
    public static final String PROCESS = "process";
    public static final String SINK = "sink";

    private final String pipeline;
    private final List<EventMetrics> stages = new ArrayList<>();
    private final List<EventMetrics> transforms = new ArrayList<>();
    private final List<SinkMetrics> sinks = new ArrayList<>();
    private final Counter backpressure = new Counter("backpressure");
    private final PipelineHealth health = new PipelineHealth();
    private volatile LongSupplier ringOccupancy = () -> 0;
    private volatile int ringSize = 1;
    private volatile String topic = "";

    public PipelineMetrics(final String pipeline)
    {
        this.pipeline = pipeline;
    }

    public String pipeline()
    {
        return pipeline;
    }

    /** @return the metrics of a stage ({@link #SOURCE}, {@link #PROCESS}, {@link #SINK}), added in event-path order. */
    public synchronized EventMetrics stage(final String name)
    {
        return find(stages, name);
    }

    /** @return the metrics of a transform of the process stage ({@code filter.1}), added in event-path order. */
    public synchronized EventMetrics transform(final String name)
    {
        return find(transforms, name);
    }

    private static EventMetrics find(final List<EventMetrics> list, final String name)
    {
        for (final EventMetrics m : list)
        {
            if (m.name().equals(name))
            {
                return m;
            }
        }
        final EventMetrics m = new EventMetrics(name);
        list.add(m);
        return m;
    }

    public synchronized List<EventMetrics> stages()
    {
        return Collections.unmodifiableList(new ArrayList<>(stages));
    }

    public synchronized List<EventMetrics> transforms()
    {
        return Collections.unmodifiableList(new ArrayList<>(transforms));
    }

    /**
     * @return the metrics of the sink named {@code name} whose stage is {@code stageName}, added in the order the
     * sinks are declared.
     */
    public synchronized SinkMetrics sink(final String name, final String stageName)
    {
        for (final SinkMetrics m : sinks)
        {
            if (m.name().equals(name))
            {
                return m;
            }
        }
        final SinkMetrics m = new SinkMetrics(name, stage(stageName));
        sinks.add(m);
        return m;
    }

    /** @return every sink's metrics, in the order declared. */
    public synchronized List<SinkMetrics> sinks()
    {
        return List.copyOf(sinks);
    }

    /** @return every sink's name, in the order declared. */
    public List<String> sinkNames()
    {
        final List<String> names = new ArrayList<>();
        for (final SinkMetrics s : sinks())
        {
            names.add(s.name());
        }
        return names;
    }

    /** @return the first sink's metrics (the only sink's, in a pipeline of one); a sink named "sink" until one is. */
    public SinkMetrics firstSink()
    {
        synchronized (this)
        {
            if (!sinks.isEmpty())
            {
                return sinks.get(0);
            }
        }
        return sink(SINK, SINK);
    }

    /** @return end-to-end latency (source poll to sink commit) of the first sink: the only one's, in most pipelines. */
    public LatencyRecorder endToEnd()
    {
        return firstSink().endToEnd();
    }

    private final Counter journalAppended = new Counter("journal_appended");
    private volatile java.util.function.Supplier<dev.dataforge.journal.JournalStats> journalStats;
    private volatile java.util.function.Supplier<java.util.Map<String, Long>> journalPositions;

    /** @return entries appended to the journal in this run. */
    public Counter journalAppended()
    {
        return journalAppended;
    }

    /** The journal's state and each sink's position in it, for the exporters (a journaled run only). */
    public void journal(final java.util.function.Supplier<dev.dataforge.journal.JournalStats> stats,
        final java.util.function.Supplier<java.util.Map<String, Long>> positions)
    {
        journalStats = stats;
        journalPositions = positions;
    }

    /** @return the journal's state now, or null without a journal. */
    public dev.dataforge.journal.JournalStats journalStats()
    {
        final java.util.function.Supplier<dev.dataforge.journal.JournalStats> s = journalStats;
        return s == null ? null : s.get();
    }

    /** @return per sink, the journal index it has read up to; empty without a journal. */
    public java.util.Map<String, Long> journalPositions()
    {
        final java.util.function.Supplier<java.util.Map<String, Long>> p = journalPositions;
        return p == null ? java.util.Map.of() : p.get();
    }

    /** Times the source found the ring full. */
    public Counter backpressure()
    {
        return backpressure;
    }

    /** @return commits of every sink. */
    public long commits()
    {
        long n = 0;
        for (final SinkMetrics s : sinks())
        {
            n += s.commits().get();
        }
        return n;
    }

    /** @return batches retried after a transient failure, of every sink. */
    public long retries()
    {
        long n = 0;
        for (final SinkMetrics s : sinks())
        {
            n += s.retries().get();
        }
        return n;
    }

    private volatile Supplier<Map<Integer, Long>> sourceLag = Map::of;
    private volatile LongSupplier sourceNewFields = () -> 0;

    /** Where the source's per-partition lag and new-field count are read (its {@code lag()} and {@code newFields()}). */
    public void source(final Supplier<Map<Integer, Long>> lag, final LongSupplier newFields)
    {
        this.sourceLag = lag;
        this.sourceNewFields = newFields;
    }

    /** @param topic what the source reads, for the {@code topic} label (a Kafka topic; else the source type). */
    public void topic(final String topic)
    {
        this.topic = topic;
    }

    public String topic()
    {
        return topic;
    }


    private volatile List<? extends LookupStats> lookups = List.of();

    /** @param all the pipeline's lookups, for their size and refresh metrics. */
    public void lookups(final List<? extends LookupStats> all)
    {
        this.lookups = List.copyOf(all);
    }

    public List<? extends LookupStats> lookups()
    {
        return lookups;
    }

    /** @return what the pipeline is doing, for readiness and the state gauge. */
    public PipelineHealth health()
    {
        return health;
    }

    /** @return the pipeline's state now. */
    public PipelineHealth.State state()
    {
        return health.state((double)ringOccupancy() / ringSize());
    }

    /** @return events behind the newest, per source partition (the source's latest snapshot). */
    public Map<Integer, Long> sourceLag()
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

    // A sink stage sees every event last, so its counts are the ones that add up, per sink:
    // events in = delivered + filtered + dead letters + revoked + skipped (+ events pending a commit while running).
    // The four below are the first sink's (the only one's in a pipeline of one); sinks() has each sink's.

    public long eventsIn()
    {
        return stage(SOURCE).out().get();
    }

    public long filtered()
    {
        return firstSink().stage().filtered().get();
    }

    public long deadLetters()
    {
        return firstSink().stage().deadLetters().get();
    }

    /** @return events given back to the source's group (their partition was revoked before they were committed). */
    public long revoked()
    {
        return firstSink().stage().revoked().get();
    }

    public long delivered()
    {
        return firstSink().stage().out().get();
    }

    /** Folds the interval histograms into their totals; the reporter calls it before reading. */
    public void sample()
    {
        for (final SinkMetrics s : sinks())
        {
            s.endToEnd().sample();
        }
        sampleStages();
    }

    /** Folds the stages' and transforms' interval histograms into their totals. */
    public void sampleStages()
    {
        for (final EventMetrics s : stages())
        {
            s.latency().sample();
        }
        for (final EventMetrics t : transforms())
        {
            t.latency().sample();
        }
    }
}

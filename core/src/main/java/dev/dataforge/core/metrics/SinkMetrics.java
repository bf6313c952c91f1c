package dev.dataforge.core.metrics;

/**
 * The metrics of one sink: its stage's counts (in = delivered + filtered + dead letters + revoked + skipped, where
 * filtered includes the events a route sent elsewhere), its commits and retries, and its latencies. Each sink stage
 * writes its own, on its own thread (the recorders are single-writer).
 */
public final class SinkMetrics
{
    private final String name;
    private final EventMetrics stage;
    private final LatencyRecorder endToEnd = new LatencyRecorder("end_to_end");
    private final LatencyRecorder commitLatency = new LatencyRecorder("commit");
    private final LatencyRecorder batchSize = new LatencyRecorder("batch_size");
    private final Counter commits = new Counter("commits");
    private final Counter retries = new Counter("retries");
    private final Counter skipped = new Counter("skipped");

    SinkMetrics(final String name, final EventMetrics stage)
    {
        this.name = name;
        this.stage = stage;
    }

    /** @return the sink's name: the {@code sink} label (its type for a pipeline's single sink). */
    public String name()
    {
        return name;
    }

    /** @return the counts and latency of the sink's stage. */
    public EventMetrics stage()
    {
        return stage;
    }

    /** Source poll to this sink's commit, one count per delivered event. */
    public LatencyRecorder endToEnd()
    {
        return endToEnd;
    }

    /** Time of each commit, nanoseconds. */
    public LatencyRecorder commitLatency()
    {
        return commitLatency;
    }

    /** Events per committed batch (recorded as values, not nanoseconds). */
    public LatencyRecorder batchSize()
    {
        return batchSize;
    }

    public Counter commits()
    {
        return commits;
    }

    /** Batches retried after a transient failure. */
    public Counter retries()
    {
        return retries;
    }

    /**
     * Events read again after a restart that this sink had already committed (another sink of the pipeline was
     * behind, so the source resumed where that one stopped): passed over, never delivered twice.
     */
    public Counter skipped()
    {
        return skipped;
    }
}

package dev.dataforge.core.metrics;

/**
 * The counters and latency histogram of one stage. Every count is written by the stage's own thread.
 * <p>
 * {@code in} counts events the stage saw, {@code out} those it passed on, {@code filtered} those a filter dropped
 * on purpose, {@code deadLettered} those sent to the dead-letter queue, {@code errors} failures (an event can be
 * both an error and a dead letter).
 */
public final class StageMetrics
{
    private final String stage;
    private final Counter in;
    private final Counter out;
    private final Counter filtered;
    private final Counter deadLettered;
    private final Counter errors;
    private final LatencyRecorder latency;

    public StageMetrics(final String stage)
    {
        this.stage = stage;
        this.in = new Counter("in");
        this.out = new Counter("out");
        this.filtered = new Counter("filtered");
        this.deadLettered = new Counter("dead_lettered");
        this.errors = new Counter("errors");
        this.latency = new LatencyRecorder(stage);
    }

    public String stage()
    {
        return stage;
    }

    public Counter in()
    {
        return in;
    }

    public Counter out()
    {
        return out;
    }

    public Counter filtered()
    {
        return filtered;
    }

    public Counter deadLettered()
    {
        return deadLettered;
    }

    public Counter errors()
    {
        return errors;
    }

    /** Service time per event in this stage, nanoseconds. */
    public LatencyRecorder latency()
    {
        return latency;
    }

    public Counter[] counters()
    {
        return new Counter[] {in, out, filtered, deadLettered, errors};
    }
}

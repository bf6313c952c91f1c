package dev.dataforge.core.metrics;

/**
 * The counters and latency histogram of one stage or one transform. Every count is written by the thread that runs
 * it.
 * <p>
 * {@code in} counts events it saw, {@code out} those it passed on, {@code filtered} those a filter (or an enrich
 * miss with {@code on_miss: drop}) dropped on purpose, {@code deadLetters} those it made dead letters, {@code errors}
 * failures (an event can be both an error and a dead letter), {@code revoked} those given back to the source's group
 * (the sink stage's: in = out + filtered + dead letters + revoked).
 */
public final class EventMetrics
{
    private final String name;
    private final Counter in;
    private final Counter out;
    private final Counter filtered;
    private final Counter deadLetters;
    private final Counter errors;
    private final Counter revoked;
    private final LatencyRecorder latency;

    public EventMetrics(final String name)
    {
        this.name = name;
        this.in = new Counter("in");
        this.out = new Counter("out");
        this.filtered = new Counter("filtered");
        this.deadLetters = new Counter("dead_letter");
        this.errors = new Counter("errors");
        this.revoked = new Counter("revoked");
        this.latency = new LatencyRecorder(name);
    }

    /** @return the stage ({@code source}, {@code process}, {@code sink}) or transform ({@code filter.1}). */
    public String name()
    {
        return name;
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

    public Counter deadLetters()
    {
        return deadLetters;
    }

    public Counter errors()
    {
        return errors;
    }

    /**
     * Events this instance read but gave back to their source's group (their partition was revoked, or claimed again
     * since): whoever owns the partition now reads them again from its checkpoint. The sink stage counts them.
     */
    public Counter revoked()
    {
        return revoked;
    }

    /** Service time per event, nanoseconds. */
    public LatencyRecorder latency()
    {
        return latency;
    }

    public Counter[] counters()
    {
        return new Counter[] {in, out, filtered, deadLetters, errors, revoked};
    }
}

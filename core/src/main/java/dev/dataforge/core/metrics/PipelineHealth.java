package dev.dataforge.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What the pipeline is doing, for {@code /ready}, {@code /health} and the {@code dataforge_pipeline_state} gauge.
 * The runtime writes it at the moments it changes (sink opened, a commit failed or went in, partitions being
 * recovered); readers derive the state when asked, so nothing is added to the event path.
 */
public final class PipelineHealth
{
    /** The pipeline's state, most pressing first where several hold. */
    public enum State
    {
        /** the sink or the source is still opening. */
        STARTING,
        /** the source holds no partition (the group has not assigned one yet, or gave them all to others). */
        WAITING,
        /** partitions were assigned and their checkpoints are being read back. */
        RECOVERING,
        /** the sink's last attempt failed and it is being retried. */
        SINK_DOWN,
        /** the ring is at least 90% full: the sink is the limit and the source waits for it. */
        BACKPRESSURED,
        RUNNING,
        STOPPING,
        STOPPED;

        /** @return the label value: {@code sink_down}. */
        public String label()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final AtomicInteger recovering = new AtomicInteger();
    private volatile boolean sinkOpen;
    private volatile boolean sourceOpen;
    /** Each sink whose last attempt failed: its name, since when, and why. */
    private final Map<String, Down> down = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile boolean stopped;
    private volatile BooleanSupplier sourceAssigned = () -> false;

    public void sinkOpen()
    {
        sinkOpen = true;
    }

    /** The source is open; {@code assigned} says whether it holds a partition now. */
    public void sourceOpen(final BooleanSupplier assigned)
    {
        this.sourceAssigned = assigned;
        this.sourceOpen = true;
    }

    private record Down(long sinceMillis, String reason)
    {
    }

    /** An attempt of {@code sink} to write or commit failed with a transient error: the sink is retried. */
    public void sinkDown(final String sink, final String reason)
    {
        final String why = reason == null ? "unknown error" : reason;
        down.compute(sink, (k, d) -> new Down(d == null ? System.currentTimeMillis() : d.sinceMillis(), why));
    }

    /** A commit of {@code sink} went in. */
    public void sinkUp(final String sink)
    {
        if (!down.isEmpty())
        {
            down.remove(sink);
        }
    }

    public void recoveryStarted()
    {
        recovering.incrementAndGet();
    }

    public void recoveryEnded()
    {
        recovering.decrementAndGet();
    }

    public void stopping()
    {
        stopping = true;
    }

    public void stopped()
    {
        stopped = true;
    }

    /** @return whether a sink's last attempt failed (retrying), with {@link #sinkDownReason()}. */
    public boolean isSinkDown()
    {
        return !down.isEmpty();
    }

    /** @return whether the last attempt of {@code sink} failed (it is being retried). */
    public boolean isSinkDown(final String sink)
    {
        return down.containsKey(sink);
    }

    /** @return why the sinks that are down are: the reason alone for one, {@code name: reason; ...} for several. */
    public String sinkDownReason()
    {
        final Map<String, Down> now = new TreeMap<>(down);
        if (now.size() == 1)
        {
            return now.values().iterator().next().reason();
        }
        final StringBuilder b = new StringBuilder();
        now.forEach((name, d) -> b.append(b.length() == 0 ? "" : "; ").append(name).append(": ").append(d.reason()));
        return b.length() == 0 ? null : b.toString();
    }

    /** @param ringFill the ring's occupancy, 0 to 1. */
    public State state(final double ringFill)
    {
        if (stopped)
        {
            return State.STOPPED;
        }
        if (stopping)
        {
            return State.STOPPING;
        }
        if (!sinkOpen || !sourceOpen)
        {
            return State.STARTING;
        }
        if (recovering.get() > 0)
        {
            return State.RECOVERING;
        }
        if (!down.isEmpty())
        {
            return State.SINK_DOWN;
        }
        if (!sourceAssigned.getAsBoolean())
        {
            return State.WAITING;
        }
        return ringFill >= 0.9 ? State.BACKPRESSURED : State.RUNNING;
    }

    /**
     * @param sinks the pipeline's sinks' names.
     * @return why the pipeline is not ready to take traffic; empty when it is (sources assigned, sinks connected).
     */
    public List<String> notReady(final List<String> sinks)
    {
        final List<String> why = new ArrayList<>(2);
        if (stopped || stopping)
        {
            why.add("the pipeline is " + (stopped ? "stopped" : "stopping"));
            return why;
        }
        if (!sinkOpen)
        {
            why.add((sinks.size() == 1 ? "sink " : "sinks ") + String.join(", ", sinks) + (sinks.size() == 1 ?
                " is" : " are") + " not open yet");
        }
        else
        {
            new TreeMap<>(down).forEach((sink, d) -> why.add("sink " + sink + " is down since " +
                java.time.Instant.ofEpochMilli(d.sinceMillis()) + ", retrying: " + d.reason()));
        }
        if (!sourceOpen)
        {
            why.add("the source is not open yet");
        }
        else if (recovering.get() > 0)
        {
            why.add("the source's partitions are being recovered from the sink's checkpoints");
        }
        else if (!sourceAssigned.getAsBoolean())
        {
            why.add("the source holds no partition (waiting for its consumer group to assign one)");
        }
        return why;
    }
}

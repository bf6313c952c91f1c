package dev.dataforge.core.metrics;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * A counter written by one thread and read by any: the writer increments without a locked instruction (an ordered
 * store), readers see a recent value. Padded against false sharing with its neighbours.
 */
public final class Counter
{
    private static final AtomicLongFieldUpdater<Counter> VALUE =
        AtomicLongFieldUpdater.newUpdater(Counter.class, "value");

    @SuppressWarnings("unused")
    private long p1, p2, p3, p4, p5, p6, p7;
    private volatile long value;
    @SuppressWarnings("unused")
    private long q1, q2, q3, q4, q5, q6, q7;

    private final String name;

    public Counter(final String name)
    {
        this.name = name;
    }

    public String name()
    {
        return name;
    }

    /** Single writer only. */
    public void increment()
    {
        VALUE.lazySet(this, value + 1);
    }

    /** Single writer only. */
    public void add(final long n)
    {
        VALUE.lazySet(this, value + n);
    }

    public long get()
    {
        return value;
    }
}

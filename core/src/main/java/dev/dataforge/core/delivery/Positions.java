package dev.dataforge.core.delivery;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The committed position of each source partition (partition number to last settled offset), for lag hints and for
 * learning what a commit of unknown outcome moved. The sink stage sets a position at every commit, the source's
 * thread raises them when recovery assigns partitions, and anyone takes a {@link #snapshot()} (the source's lag hint,
 * once a second). Setting allocates nothing: the commit path runs once per ring batch.
 */
final class Positions
{
    /** What {@link #get(int)} returns for a partition with no position. */
    static final long ABSENT = Long.MIN_VALUE;

    private long[] offsets = new long[0];

    /** Sets partition {@code p}'s position to {@code offset}. */
    synchronized void set(final int p, final long offset)
    {
        ensure(p);
        offsets[p] = offset;
    }

    /** Raises partition {@code p}'s position to {@code offset} where it is lower or absent. */
    synchronized void raise(final int p, final long offset)
    {
        ensure(p);
        offsets[p] = Math.max(offsets[p], offset);
    }

    /** @return partition {@code p}'s position, or {@link #ABSENT}. */
    synchronized long get(final int p)
    {
        return p < offsets.length ? offsets[p] : ABSENT;
    }

    /** @return every position held, by partition number (a new map). */
    synchronized Map<Integer, Long> snapshot()
    {
        final Map<Integer, Long> out = new TreeMap<>();
        for (int p = 0; p < offsets.length; p++)
        {
            if (offsets[p] != ABSENT)
            {
                out.put(p, offsets[p]);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private void ensure(final int p)
    {
        if (p >= offsets.length)
        {
            final int n = offsets.length;
            offsets = Arrays.copyOf(offsets, Math.max(p + 1, n * 2));
            Arrays.fill(offsets, n, offsets.length, ABSENT);
        }
    }
}

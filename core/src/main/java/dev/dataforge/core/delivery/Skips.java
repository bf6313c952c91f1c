package dev.dataforge.core.delivery;

import java.util.Arrays;

/**
 * What one sink stage passes over after a restart: per partition, the offset up to which this sink had committed
 * when the partition was assigned, under the claim of that assignment. The source resumes a partition after the
 * checkpoint of the sink furthest behind, so the sinks ahead of it see again events they already hold; each skips
 * them by its own checkpoint, and delivers nothing twice.
 * <p>
 * Written on the source's thread at an assignment, before any event of the new claim is published; read on the
 * sink stage's thread for every event, from a copy refreshed only when an assignment changed it (a volatile read per
 * event, no lock).
 */
final class Skips
{
    private static final long NO_CLAIM = Long.MIN_VALUE;

    private long[] sharedOffsets = new long[0];
    private long[] sharedClaims = new long[0];
    private volatile long version;

    private long seen;
    private long[] offsets = new long[0];
    private long[] claims = new long[0];

    /** Partition {@code p}, under {@code claim}, is committed up to {@code offset} in this sink. */
    synchronized void set(final int p, final long offset, final long claim)
    {
        if (p >= sharedOffsets.length)
        {
            final int n = Math.max(p + 1, sharedOffsets.length * 2);
            sharedOffsets = Arrays.copyOf(sharedOffsets, n);
            final int old = sharedClaims.length;
            sharedClaims = Arrays.copyOf(sharedClaims, n);
            Arrays.fill(sharedClaims, old, n, NO_CLAIM);
        }
        sharedOffsets[p] = offset;
        sharedClaims[p] = claim;
        version++;
    }

    /** @return true when the event at {@code offset} of {@code p}, published under {@code claim}, is already in. */
    boolean skip(final int p, final long offset, final long claim)
    {
        if (version != seen)
        {
            refresh();
        }
        return p < offsets.length && claims[p] == claim && offset <= offsets[p];
    }

    private synchronized void refresh()
    {
        offsets = sharedOffsets.clone();
        claims = sharedClaims.clone();
        seen = version;
    }
}

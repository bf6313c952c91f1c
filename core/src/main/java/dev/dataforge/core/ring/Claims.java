package dev.dataforge.core.ring;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which source partitions this instance owns now, and with which fencing epoch. Recovery writes it on the source's
 * thread when partitions are assigned (the epoch the sink's checkpoint store gave the claim) or revoked; the source
 * stamps each event with its partition's epoch as it publishes it; the sink stage drops events whose epoch is no
 * longer their partition's, and commits under {@link #lock()}, after checking the batch's epochs once more, so that
 * once a revocation has returned no event of the revoked partitions is committed by this instance.
 * <pre>
 *   epoch[p] = -1   not owned (never assigned, or revoked)
 *   epoch[p] >= 0   owned; events published now carry it
 * </pre>
 */
public final class Claims
{
    /** The epoch of a partition this instance does not own. */
    public static final long NOT_OWNED = -1;

    private final ReentrantLock lock = new ReentrantLock();
    private volatile AtomicLongArray epochs = fresh(16);

    private static AtomicLongArray fresh(final int n)
    {
        final AtomicLongArray a = new AtomicLongArray(n);
        for (int i = 0; i < n; i++)
        {
            a.set(i, NOT_OWNED);
        }
        return a;
    }

    /** @return the epoch partition {@code p} is owned with, or {@link #NOT_OWNED}. */
    public long epoch(final int p)
    {
        final AtomicLongArray a = epochs;
        return p < a.length() ? a.get(p) : NOT_OWNED;
    }

    /** Partition {@code p} is owned from now on with {@code epoch}; call under {@link #lock()}. */
    public void own(final int p, final long epoch)
    {
        AtomicLongArray a = epochs;
        if (p >= a.length())
        {
            final AtomicLongArray grown = fresh(Math.max(p + 1, a.length() * 2));
            for (int i = 0; i < a.length(); i++)
            {
                grown.set(i, a.get(i));
            }
            epochs = grown;
            a = grown;
        }
        a.set(p, epoch);
    }

    /** Partition {@code p} is no longer owned; call under {@link #lock()}. */
    public void release(final int p)
    {
        final AtomicLongArray a = epochs;
        if (p < a.length())
        {
            a.set(p, NOT_OWNED);
        }
    }

    /**
     * Partition {@code p} was found fenced at {@code epoch} (another instance claimed it): not owned any more,
     * unless a newer claim of this instance replaced that epoch meanwhile.
     */
    public void fenced(final int p, final long epoch)
    {
        final AtomicLongArray a = epochs;
        if (p < a.length())
        {
            a.compareAndSet(p, epoch, NOT_OWNED);
        }
    }

    /** @return the lock a commit holds from its last check of the epochs to its end, and a revocation takes. */
    public ReentrantLock lock()
    {
        return lock;
    }
}

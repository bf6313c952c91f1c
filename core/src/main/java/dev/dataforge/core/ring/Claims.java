package dev.dataforge.core.ring;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Which source partitions this instance owns now. Recovery writes it on the source's thread when partitions are
 * assigned or revoked; the source stamps each event with its partition's current <b>claim</b> as it publishes it;
 * the sink stage drops events whose claim is no longer their partition's, and commits under {@link #commitLock()},
 * after checking the batch's claims once more, so that once a revocation has returned no event of the revoked
 * partitions is committed by this instance.
 * <p>
 * A claim is a number this instance draws afresh at every assignment of a partition, so that events of an earlier
 * assignment never pass for events of a later one, even when the checkpoint store's fencing epoch did not change
 * (a Kafka sink is fenced by the group's generation, and its store's epoch is always 0). Each claim also holds the
 * store's epoch, which the checkpoints of its events carry.
 * <pre>
 *   claim[p] = -1   not owned (never assigned, or revoked)
 *   claim[p] >= 0   owned; events published now carry it; storeEpoch[p] is the store's epoch of that claim
 * </pre>
 */
public final class Claims
{
    /** The claim of a partition this instance does not own. */
    public static final long NOT_OWNED = -1;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final int stores;
    private volatile Table table;
    private long drawn;

    /** Claims for a pipeline with one checkpoint store (one sink). */
    public Claims()
    {
        this(1);
    }

    /** Claims for a pipeline with {@code stores} checkpoint stores (one per sink), each with its own epochs. */
    public Claims(final int stores)
    {
        this.stores = stores;
        this.table = new Table(16, stores);
    }

    private static final class Table
    {
        final AtomicLongArray claims;
        final AtomicLongArray storeEpochs;

        Table(final int n, final int stores)
        {
            claims = new AtomicLongArray(n);
            storeEpochs = new AtomicLongArray(n * stores);
            for (int i = 0; i < n; i++)
            {
                claims.set(i, NOT_OWNED);
            }
        }
    }

    /** @return this instance's current claim of partition {@code p}, or {@link #NOT_OWNED}. */
    public long claim(final int p)
    {
        final Table t = table;
        return p < t.claims.length() ? t.claims.get(p) : NOT_OWNED;
    }

    /** @return the only store's epoch of the current claim of {@code p} (see {@link #storeEpoch(int, int)}). */
    public long storeEpoch(final int p)
    {
        return storeEpoch(0, p);
    }

    /**
     * @return checkpoint store {@code store}'s epoch of the current claim of {@code p}; read under
     * {@link #commitLock()}.
     */
    public long storeEpoch(final int store, final int p)
    {
        final Table t = table;
        final int i = p * stores + store;
        return i < t.storeEpochs.length() ? t.storeEpochs.get(i) : 0;
    }

    /** {@link #own(int, long[])} for a pipeline with one store. */
    public long own(final int p, final long storeEpoch)
    {
        return own(p, new long[] {storeEpoch});
    }

    /**
     * Partition {@code p} is owned from now on under a new claim, with each store's epoch ({@code storeEpochs[i]}
     * for store {@code i}); call under {@link #lock()}.
     *
     * @return the new claim.
     */
    public long own(final int p, final long[] storeEpochs)
    {
        if (storeEpochs.length != stores)
        {
            throw new IllegalArgumentException(storeEpochs.length + " store epochs for " + stores + " stores");
        }
        Table t = table;
        if (p >= t.claims.length())
        {
            final Table grown = new Table(Math.max(p + 1, t.claims.length() * 2), stores);
            for (int i = 0; i < t.claims.length(); i++)
            {
                grown.claims.set(i, t.claims.get(i));
            }
            for (int i = 0; i < t.storeEpochs.length(); i++)
            {
                grown.storeEpochs.set(i, t.storeEpochs.get(i));
            }
            table = grown;
            t = grown;
        }
        final long claim = drawn++;
        for (int s = 0; s < stores; s++)
        {
            t.storeEpochs.set(p * stores + s, storeEpochs[s]);
        }
        t.claims.set(p, claim);
        return claim;
    }

    /** Partition {@code p} is no longer owned; call under {@link #lock()}. */
    public void release(final int p)
    {
        final Table t = table;
        if (p < t.claims.length())
        {
            t.claims.set(p, NOT_OWNED);
        }
    }

    /**
     * Partition {@code p} was found fenced under {@code claim} (another instance claimed it in the store): not owned
     * any more, unless a newer assignment replaced that claim meanwhile.
     */
    public void fenced(final int p, final long claim)
    {
        final Table t = table;
        if (p < t.claims.length())
        {
            t.claims.compareAndSet(p, claim, NOT_OWNED);
        }
    }

    /**
     * @return the lock an assignment or a revocation takes: it waits for every commit under way (each holds
     * {@link #commitLock()}), and no commit starts while it is held.
     */
    public Lock lock()
    {
        return lock.writeLock();
    }

    /**
     * @return the lock a commit holds from its last check of the claims to its end; the sinks' commits hold it
     * together, a revocation ({@link #lock()}) excludes them all.
     */
    public Lock commitLock()
    {
        return lock.readLock();
    }
}

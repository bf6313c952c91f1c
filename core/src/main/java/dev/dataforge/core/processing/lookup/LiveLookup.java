package dev.dataforge.core.processing.lookup;

import dev.dataforge.api.lookup.LookupRows;
import dev.dataforge.api.lookup.LookupSource;
import dev.dataforge.core.metrics.LookupStats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One lookup of a running pipeline: its source, the version the enrich stages use now, and how refreshing it goes.
 * {@link #refresh} runs on the lookup's own refresh thread: it waits for the source's next version, builds it into a
 * new index typed as the first (off the hot path), checks it against {@code max_bytes}, binds it for every enrich
 * stage that uses the lookup and swaps it in whole. A version that fails (the source unreadable, a value that does
 * not fit, too large) leaves the current one in place and is counted.
 */
public final class LiveLookup implements AutoCloseable, LookupStats
{
    private final String name;
    private final LookupSource source;
    private final long maxBytes;
    private final List<LiveEnricher> enrichers = new ArrayList<>();
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile LookupTable table;
    private volatile long lastRefreshMillis = System.currentTimeMillis();
    private volatile String failing;
    private volatile long failingSinceMillis;

    public LiveLookup(final String name, final LookupSource source, final LookupTable first, final long maxBytes)
    {
        this.name = name;
        this.source = source;
        this.table = first;
        this.maxBytes = maxBytes;
    }

    /** An enrich stage that uses this lookup: each new version is bound for it too. */
    public void add(final LiveEnricher enricher)
    {
        enrichers.add(enricher);
    }

    @Override
    public String name()
    {
        return name;
    }

    /** @return the version the enrich stages use now. */
    public LookupTable table()
    {
        return table;
    }

    @Override
    public boolean live()
    {
        return source.live();
    }

    public String describe()
    {
        return source.describe();
    }

    /**
     * @return true when a new version was swapped in, false when there was none yet.
     * @throws Exception when the version failed: the current one stays; the caller backs off.
     */
    public boolean refresh(final Duration wait) throws Exception
    {
        final LookupRows rows;
        final LookupTable next;
        final List<Enricher> bound = new ArrayList<>(enrichers.size());
        try
        {
            rows = source.next(wait);
            if (rows == null)
            {
                failing = null; // the source answered: nothing new
                return false;
            }
            next = LookupTableBuilder.rebuild(table, rows);
            final long bytes = bytes(next);
            if (bytes > maxBytes)
            {
                throw new IllegalStateException("the new version needs " + bytes + " bytes, more than max_bytes " +
                    maxBytes + " (" + next.size() + " rows)");
            }
            for (final LiveEnricher e : enrichers)
            {
                bound.add(e.bind(next));
            }
        }
        catch (final InterruptedException e)
        {
            throw e;
        }
        catch (final Exception e)
        {
            failures.incrementAndGet();
            if (failing == null)
            {
                failingSinceMillis = System.currentTimeMillis();
            }
            failing = e.getMessage() == null ? e.toString() : e.getMessage();
            throw e;
        }
        for (int i = 0; i < enrichers.size(); i++)
        {
            enrichers.get(i).swap(bound.get(i));
        }
        table = next;
        lastRefreshMillis = System.currentTimeMillis();
        refreshes.incrementAndGet();
        failing = null;
        return true;
    }

    /** @return the bytes the current version holds with every enrich stage's images. */
    @Override
    public long bytes()
    {
        return bytes(table);
    }

    private long bytes(final LookupTable t)
    {
        long images = 0;
        for (final LiveEnricher e : enrichers)
        {
            images += (long)e.current().imageLength() * t.size();
        }
        return t.bytes() + images;
    }

    @Override
    public int rows()
    {
        return table.size();
    }

    /** @return versions swapped in since start (the first not counted). */
    @Override
    public long refreshes()
    {
        return refreshes.get();
    }

    @Override
    public long failures()
    {
        return failures.get();
    }

    /** @return when the current version was swapped in (the first: when the pipeline was planned). */
    @Override
    public long lastRefreshMillis()
    {
        return lastRefreshMillis;
    }

    /** @return why the last version failed, or null when the last attempt succeeded. */
    @Override
    public String failing()
    {
        return failing;
    }

    public long failingSinceMillis()
    {
        return failingSinceMillis;
    }

    @Override
    public void close() throws Exception
    {
        source.close();
    }
}

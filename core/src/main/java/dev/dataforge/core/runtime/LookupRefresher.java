package dev.dataforge.core.runtime;

import dev.dataforge.core.processing.lookup.LiveLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps a running pipeline's changing lookups current: one thread per lookup that changes, waiting on its source
 * (never spinning), swapping each new version in, and backing off after a failure (1 s doubling to 60 s) while the
 * current version stays in use.
 */
final class LookupRefresher implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(LookupRefresher.class);
    private static final Duration WAIT = Duration.ofMillis(500);
    private static final long MAX_BACKOFF_MILLIS = 60_000;

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    LookupRefresher(final String pipeline, final List<LiveLookup> lookups)
    {
        for (final LiveLookup l : lookups)
        {
            if (l.live())
            {
                final Thread t = new Thread(() -> loop(l), "dataforge-" + pipeline + "-lookup-" + l.name());
                t.setDaemon(true);
                threads.add(t);
            }
        }
    }

    LookupRefresher start()
    {
        for (final Thread t : threads)
        {
            t.start();
        }
        return this;
    }

    private void loop(final LiveLookup lookup)
    {
        long backoff = 0;
        String lastReason = null;
        while (!stopped)
        {
            try
            {
                if (lookup.refresh(WAIT))
                {
                    if (backoff > 0)
                    {
                        LOG.info("lookup '{}': refreshed again after failures: {} rows", lookup.name(), lookup.rows());
                    }
                    LOG.debug("lookup '{}': new version, {} rows, {} bytes", lookup.name(), lookup.rows(),
                        lookup.bytes());
                    backoff = 0;
                    lastReason = null;
                }
            }
            catch (final InterruptedException e)
            {
                return;
            }
            catch (final Exception e)
            {
                if (stopped)
                {
                    return;
                }
                backoff = backoff == 0 ? 1_000 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                if (!Objects.equals(lastReason, lookup.failing()))
                {
                    LOG.warn("lookup '{}': refresh failed, the current version ({} rows) stays in use; retrying " +
                        "every {} s at most: {}", lookup.name(), lookup.rows(), MAX_BACKOFF_MILLIS / 1000,
                        lookup.failing());
                    lastReason = lookup.failing();
                }
                try
                {
                    Thread.sleep(backoff);
                }
                catch (final InterruptedException stop)
                {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        stopped = true;
        for (final Thread t : threads)
        {
            t.interrupt();
        }
        for (final Thread t : threads)
        {
            t.join(10_000);
            if (t.isAlive())
            {
                LOG.warn("{} did not stop within 10 s", t.getName());
            }
        }
    }
}

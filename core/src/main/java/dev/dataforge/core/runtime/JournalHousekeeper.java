package dev.dataforge.core.runtime;

import dev.dataforge.journal.Journal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The journal's housekeeping, on a thread of its own, about once a second: retention (the oldest cycles no sink
 * needs, past {@code retention.time} or {@code retention.size}) and the sinks' positions file. Listing and deleting
 * cycle files and writing the file take milliseconds, kept off the process stage's thread (which appends). It parks
 * between rounds: idle, it costs nothing.
 */
final class JournalHousekeeper implements Runnable
{
    private static final long EVERY_NANOS = 1_000_000_000L;

    private final Journal journal;
    private final LongSupplier neededIndex;
    private final Runnable positions;
    private final Pipeline pipeline;
    private volatile boolean stopped;
    private volatile Thread thread;

    JournalHousekeeper(final Journal journal, final LongSupplier neededIndex, final Runnable positions,
        final Pipeline pipeline)
    {
        this.journal = journal;
        this.neededIndex = neededIndex;
        this.positions = positions;
        this.pipeline = pipeline;
    }

    @Override
    public void run()
    {
        thread = Thread.currentThread();
        try
        {
            while (!stopped)
            {
                LockSupport.parkNanos(this, EVERY_NANOS);
                if (stopped)
                {
                    return;
                }
                journal.retain(neededIndex.getAsLong());
                positions.run();
            }
        }
        catch (final Throwable t)
        {
            pipeline.fail("journal", t); // a journal that cannot delete its cycles would fill the disk unseen
        }
    }

    void stop()
    {
        stopped = true;
        final Thread t = thread;
        if (t != null)
        {
            LockSupport.unpark(t);
        }
    }
}

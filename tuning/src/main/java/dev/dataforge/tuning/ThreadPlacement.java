package dev.dataforge.tuning;

import net.openhft.affinity.AffinityLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts stage threads, pinned to a CPU when asked. Pinning degrades gracefully: when the CPU cannot be reserved
 * (a small host has one reservable CPU at most, a container may forbid it), the thread runs unpinned and says so
 * once in the log.
 */
public final class ThreadPlacement
{
    private static final Logger LOG = LoggerFactory.getLogger(ThreadPlacement.class);

    private ThreadPlacement()
    {
    }

    /**
     * @param cpu the CPU to pin to, or null to leave placement to the OS.
     */
    public static Thread newThread(final String name, final Integer cpu, final Runnable body)
    {
        final Runnable placed = cpu == null ? body : () ->
        {
            AffinityLock lock = null;
            try
            {
                lock = AffinityLock.acquireLock(cpu);
                if (!lock.isBound() || lock.cpuId() != cpu)
                {
                    LOG.warn("thread {} could not be pinned to cpu {}; running unpinned", name, cpu);
                }
            }
            catch (final Throwable t)
            {
                LOG.warn("thread {} could not be pinned to cpu {} ({}); running unpinned", name, cpu, t.toString());
            }
            try
            {
                body.run();
            }
            finally
            {
                if (lock != null)
                {
                    lock.release();
                }
            }
        };
        final Thread thread = new Thread(placed, name);
        thread.setDaemon(false);
        return thread;
    }
}

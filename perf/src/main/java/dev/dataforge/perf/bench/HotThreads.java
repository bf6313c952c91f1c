package dev.dataforge.perf.bench;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated so far by the threads whose names start with a prefix (a pipeline's stage threads are named
 * {@code dataforge-<pipeline>-<stage>}), from the JVM's own per-thread counters
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}): TLAB refills and the allocations outside them,
 * exact to the JVM's accounting, with no agent.
 */
final class HotThreads
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private HotThreads()
    {
    }

    /** @return the sum over the live threads named {@code prefix...}, and how many there are (in [1]). */
    static long[] allocated(final String prefix)
    {
        long bytes = 0;
        long threads = 0;
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.getName().startsWith(prefix))
            {
                final long b = THREADS.getThreadAllocatedBytes(t.getId());
                if (b >= 0)
                {
                    bytes += b;
                    threads++;
                }
            }
        }
        return new long[] {bytes, threads};
    }
}

package dev.dataforge.core.metrics;

/** What a lookup reports: its size now and how refreshing it goes. */
public interface LookupStats
{
    String name();

    /** @return rows of the version in use. */
    int rows();

    /** @return bytes of the version in use: rows, index and enrich images. */
    long bytes();

    /** @return versions swapped in since start. */
    long refreshes();

    /** @return versions that failed (the source unreadable, a value that did not fit, too large). */
    long failures();

    /** @return when the version in use was swapped in, epoch milliseconds. */
    long lastRefreshMillis();

    /** @return why the last attempt failed, or null when it succeeded. */
    String failing();

    /** @return whether the lookup changes while the pipeline runs. */
    boolean live();
}

package dev.dataforge.api.lookup;

import java.time.Duration;

/**
 * A lookup's data as it changes: the rows at start, then whole later versions while the pipeline runs. The engine
 * builds each version into a new index off the hot path and swaps it in whole, so an event is enriched from one
 * version or the next, never a mix. A connector that merges changes (an {@code updated_at} query, a compacted
 * topic) keeps its merged rows itself and hands the engine the whole set each time.
 */
public interface LookupSource extends AutoCloseable
{
    /** @return the rows at start, keyed ({@link LookupRows#keyedBy}). */
    LookupRows initial();

    /** @return whether {@link #next} can ever return a version (false: the rows are read once). */
    default boolean live()
    {
        return false;
    }

    /**
     * Called on the engine's refresh thread, never on the event path.
     *
     * @param wait how long to wait at most for a version newer than the last one returned.
     * @return the whole rows of a newer version, keyed as {@link #initial()} was, or null when there is none yet
     *         (a normal return says the source is readable: a failure the engine reported is over).
     * @throws Exception when the data cannot be read now (the database is down, the broker unreachable): the engine
     *                   keeps the version it has, counts the failure and calls again after a backoff.
     */
    default LookupRows next(final Duration wait) throws Exception
    {
        Thread.sleep(wait.toMillis());
        return null;
    }

    /** @return one line on what the source reads and how it stays current, for the plan and the progress line. */
    default String describe()
    {
        return "read once";
    }

    @Override
    default void close() throws Exception
    {
    }

    /** @return a source that is read once: these rows. */
    static LookupSource once(final LookupRows rows)
    {
        return () -> rows;
    }
}

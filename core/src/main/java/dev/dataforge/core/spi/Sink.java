package dev.dataforge.core.spi;

import org.agrona.DirectBuffer;

/**
 * Delivers rows to a destination in batches. Called only from its sink stage's thread: {@link #append} for each row
 * of a batch (copy what you keep: the slot is reused after the batch commits), then {@link #commit} makes the whole
 * batch durable at once.
 */
public interface Sink extends AutoCloseable
{
    /** Connects and prepares the destination (creates the table); a failure stops the pipeline before it starts. */
    void open() throws Exception;

    /** Adds one row, read through the pipeline's layout from {@code buffer} at {@code base}. */
    void append(DirectBuffer buffer, int base) throws Exception;

    /** Makes every row appended since the last commit durable. */
    void commit() throws Exception;

    /** @return "exactly-once" for sinks that commit in a transaction with their checkpoint, else "at-least-once". */
    default String deliveryGuarantee()
    {
        return "at-least-once";
    }

    /** A short description for the summary and the progress line. */
    default String describe()
    {
        return getClass().getSimpleName();
    }

    @Override
    void close() throws Exception;
}

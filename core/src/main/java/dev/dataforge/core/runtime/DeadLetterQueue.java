package dev.dataforge.core.runtime;

import org.agrona.DirectBuffer;

/**
 * Where records that cannot be delivered go, each with its reason, stage and source position. Called from the
 * sink stage's thread; entries become durable on {@link #flush()}, which the sink stage calls before it commits.
 */
public interface DeadLetterQueue extends AutoCloseable
{
    void write(EventSlot slot, DirectBuffer buffer) throws Exception;

    void flush() throws Exception;

    /** @return where entries go, for the summary and messages. */
    String describe();

    @Override
    void close() throws Exception;
}

package dev.dataforge.api.deadletter;

/**
 * Where dead letters go. Called from the sink stage's thread; entries become durable on {@link #flush()}, which the
 * sink stage calls before it commits the batch they came from.
 */
public interface DeadLetterQueue extends AutoCloseable
{
    void write(DeadLetter letter) throws Exception;

    void flush() throws Exception;

    /** @return where entries go, for the summary and messages. */
    String describe();

    @Override
    void close() throws Exception;
}

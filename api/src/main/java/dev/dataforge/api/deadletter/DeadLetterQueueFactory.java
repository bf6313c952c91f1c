package dev.dataforge.api.deadletter;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigSpec;

import java.util.ServiceLoader;

/**
 * Dead-letter queues of one {@code dead_letter.type}, a connector like a sink: a typed config spec (so
 * {@code validate} and {@code ./run.sh connectors} cover it), found with {@link ServiceLoader}: list the class in
 * {@code META-INF/services/dev.dataforge.api.deadletter.DeadLetterQueueFactory}. The {@code file} queue is built in.
 * <p>
 * The context's config is the {@code dead_letter.config} block bound to {@link #spec()}; its layout is the
 * pipeline's event layout after every transform, and its source is the pipeline's source (defaults such as "the
 * source's brokers" come from there).
 */
public interface DeadLetterQueueFactory
{
    String type();

    ConfigSpec spec();

    /**
     * Checks what the spec cannot, when the pipeline is planned (so {@code validate} reports it).
     *
     * @throws ConfigException saying what is wrong and where.
     */
    default void check(final ConnectorContext context)
    {
    }

    /** Opens the queue for writing; it may connect lazily, on the first entry. */
    DeadLetterQueue open(ConnectorContext context) throws Exception;

    /** Receives the entries of a queue, in order, for {@code ./run.sh dead-letters}. */
    @FunctionalInterface
    interface Reader
    {
        /** @return false to stop reading. */
        boolean accept(DeadLetter letter) throws Exception;
    }

    /**
     * Reads every entry the queue holds now, oldest first.
     *
     * @return false when there is no such queue (no file, no topic).
     */
    boolean read(ConnectorContext context, Reader reader) throws Exception;

    /** Takes re-driven payloads (the original bytes, or the event's JSON) to where a queue of this type lives. */
    interface Redrive extends AutoCloseable
    {
        void send(byte[] payload) throws Exception;

        /** @return where payloads go, for messages. */
        String describe();

        @Override
        void close() throws Exception;
    }

    /**
     * @return where {@code ./run.sh dead-letters redrive} sends payloads, configured like a queue of this type
     * (for Kafka: the topic and brokers to write to).
     * @throws UnsupportedOperationException when this type cannot take re-driven payloads.
     */
    default Redrive redrive(final ConnectorContext context) throws Exception
    {
        throw new UnsupportedOperationException("dead letters cannot be re-driven to type " + type());
    }
}

package dev.dataforge.codec.generator;

import dev.dataforge.codec.SbeLayouts;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The generator's events outside a pipeline, one at a time in a scratch slot: for tests that need the expected
 * output, producers that load a topic, and benchmarks.
 */
public final class GeneratedEvents
{
    /** Receives each event; the slot is reused for the next one. */
    @FunctionalInterface
    public interface Consumer
    {
        void accept(DirectBuffer slot, int base) throws Exception;
    }

    private GeneratedEvents()
    {
    }

    /** Generates {@code settings.events()} events (which must be bounded) and hands each to {@code consumer}. */
    public static void forEach(final GeneratorSettings settings, final Consumer consumer) throws Exception
    {
        forEach(settings, 0, consumer);
    }

    /** Generates events {@code from} until {@code settings.events()} and hands each to {@code consumer}. */
    public static void forEach(final GeneratorSettings settings, final long from, final Consumer consumer)
        throws Exception
    {
        if (settings.events() <= 0)
        {
            throw new IllegalArgumentException("a bounded number of events is needed");
        }
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[SbeLayouts.userEvent().recordLength()]);
        final UserEventGenerator generator = new UserEventGenerator(settings);
        for (long n = from; n < settings.events(); n++)
        {
            generator.write(slot, 0, n);
            consumer.accept(slot, 0);
        }
    }
}

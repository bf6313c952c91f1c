package dev.dataforge.core.source;

import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.core.spi.RecordPublisher;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
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
        if (settings.events() <= 0)
        {
            throw new IllegalArgumentException("a bounded number of events is needed");
        }
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[SbeLayouts.userEvent().recordLength()]);
        final GeneratorSource source = new GeneratorSource(settings);
        source.open();
        final Exception[] failure = {null};
        final RecordPublisher publisher = new RecordPublisher()
        {
            @Override
            public int tryClaim()
            {
                return failure[0] == null ? 0 : NO_SLOT;
            }

            @Override
            public MutableDirectBuffer buffer()
            {
                return slot;
            }

            @Override
            public int slotCapacity()
            {
                return slot.capacity();
            }

            @Override
            public void sourcePosition(final int partition, final long offset)
            {
            }

            @Override
            public void publishRaw(final int length)
            {
                failure[0] = new IllegalStateException("generated events are never raw");
            }

            @Override
            public void publishDeadLetter(final byte[] original, final String reason)
            {
                failure[0] = new IllegalStateException("generated event dead-lettered: " + reason);
            }

            @Override
            public void publish()
            {
                try
                {
                    consumer.accept(slot, 0);
                }
                catch (final Exception e)
                {
                    failure[0] = e;
                }
            }

            @Override
            public void publishDeadLetter(final int length, final String reason)
            {
                throw new IllegalStateException(reason);
            }
        };
        while (failure[0] == null && source.poll(publisher, 10_000) != GeneratorSource.END)
        {
            // every event is handed over as it is published
        }
        if (failure[0] != null)
        {
            throw failure[0];
        }
    }
}

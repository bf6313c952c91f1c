package dev.dataforge.core.runtime;

import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.core.source.GeneratorSettings;
import dev.dataforge.core.source.GeneratorSource;
import dev.dataforge.core.spi.RecordPublisher;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Regenerates what the generator source produces, outside any pipeline, so tests can compute the expected output.
 */
final class GeneratorOracle
{
    private static final String[] TYPES = {"view", "click", "purchase", "signup"};

    private GeneratorOracle()
    {
    }

    /** @return per event {event_id, user_id, type index into view/click/purchase/signup}. */
    static List<long[]> events(final long seed, final long users, final long count)
    {
        final RecordLayout layout = SbeLayouts.userEvent();
        final GeneratorSettings defaults = GeneratorSettings.defaults(seed, 0, count);
        final GeneratorSettings settings = new GeneratorSettings(seed, 0, count, defaults.types(), users, 0, 4, 20,
            defaults.startMicros());
        final GeneratorSource source = new GeneratorSource(settings);
        source.open();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final List<long[]> out = new ArrayList<>();
        final RecordPublisher publisher = new RecordPublisher()
        {
            @Override
            public int tryClaim()
            {
                return 0;
            }

            @Override
            public MutableDirectBuffer buffer()
            {
                return buffer;
            }

            @Override
            public int slotCapacity()
            {
                return 1024;
            }

            @Override
            public void sourcePosition(final int partition, final long offset)
            {
            }

            @Override
            public void publish()
            {
                final String type = layout.field("type").getString(buffer, 0);
                int t = 0;
                while (!TYPES[t].equals(type))
                {
                    t++;
                }
                out.add(new long[] {layout.field("event_id").getLong(buffer, 0),
                    layout.field("user_id").getLong(buffer, 0), t});
            }

            @Override
            public void publishDeadLetter(final int length, final String reason)
            {
                throw new AssertionError(reason);
            }
        };
        while (source.poll(publisher, 1000) != GeneratorSource.END)
        {
            // poll until the generator reports its end
        }
        return out;
    }

    static String type(final long[] event)
    {
        return TYPES[(int)event[2]];
    }
}

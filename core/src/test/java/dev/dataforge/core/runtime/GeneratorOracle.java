package dev.dataforge.core.runtime;

import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.codec.generator.GeneratedEvents;
import dev.dataforge.codec.generator.GeneratorSettings;

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
        final List<long[]> out = new ArrayList<>();
        try
        {
            GeneratedEvents.forEach(settings, (buffer, base) ->
            {
                final String type = layout.field("type").getString(buffer, base);
                int t = 0;
                while (!TYPES[t].equals(type))
                {
                    t++;
                }
                out.add(new long[] {layout.field("event_id").getLong(buffer, base),
                    layout.field("user_id").getLong(buffer, base), t});
            });
        }
        catch (final Exception e)
        {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static String type(final long[] event)
    {
        return TYPES[(int)event[2]];
    }
}

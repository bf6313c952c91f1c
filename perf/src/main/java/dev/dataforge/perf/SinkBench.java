package dev.dataforge.perf;

import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.generator.GeneratedEvents;
import dev.dataforge.codec.generator.GeneratorSettings;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/** What the sink-against-bare-client harnesses share: the same generated events, and medians. */
final class SinkBench
{
    private SinkBench()
    {
    }

    /** @return {@code rows} generated events (seed 42), one after another in {@code layout}'s record length. */
    static UnsafeBuffer generate(final int rows, final RecordLayout layout) throws Exception
    {
        final int size = layout.recordLength();
        final UnsafeBuffer events = new UnsafeBuffer(new byte[rows * size]);
        final int[] next = {0};
        GeneratedEvents.forEach(GeneratorSettings.defaults(42, 0, rows), (event, base) ->
            events.putBytes(next[0]++ * size, event, base, size));
        return events;
    }

    /** Sorts {@code values} and returns the middle one. */
    static double median(final List<Double> values)
    {
        values.sort(Double::compare);
        return values.get(values.size() / 2);
    }
}

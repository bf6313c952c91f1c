package dev.dataforge.core.builtin;

import dev.dataforge.api.source.EventPublisher;
import dev.dataforge.api.source.Source;
import dev.dataforge.codec.generator.GeneratorSettings;
import dev.dataforge.codec.generator.UserEventGenerator;

/**
 * {@code type: generator}: synthetic user events ({@link UserEventGenerator}) written straight into ring slots, at
 * the configured rate or as fast as the pipeline takes them. Event {@code n} is its position (partition 0, offset
 * n), so the same seed always gives the same events at the same positions.
 */
public final class GeneratorSource implements Source
{
    private final GeneratorSettings settings;
    private final UserEventGenerator generator;
    private long next;
    private long startNanos;

    public GeneratorSource(final GeneratorSettings settings)
    {
        this.settings = settings;
        this.generator = new UserEventGenerator(settings);
    }

    @Override
    public void open()
    {
        startNanos = System.nanoTime();
    }

    @Override
    public boolean isBounded()
    {
        return settings.events() > 0;
    }

    @Override
    public String describe()
    {
        return "generator(seed=" + settings.seed() + ", rate=" + (settings.rate() == 0 ? "unbounded" :
            settings.rate() + "/s") + ")";
    }

    @Override
    public int poll(final EventPublisher publisher, final int limit)
    {
        long allowed = limit;
        if (settings.events() > 0)
        {
            final long left = settings.events() - next;
            if (left <= 0)
            {
                return END;
            }
            allowed = Math.min(allowed, left);
        }
        if (settings.rate() > 0)
        {
            final long due = (System.nanoTime() - startNanos) / 1000 * settings.rate() / 1_000_000 + 1;
            allowed = Math.min(allowed, due - next);
        }
        int published = 0;
        while (published < allowed)
        {
            final int base = publisher.tryClaim();
            if (base == EventPublisher.NO_SLOT)
            {
                break;
            }
            generator.write(publisher.buffer(), base, next);
            publisher.sourcePosition(0, next);
            publisher.publish();
            next++;
            published++;
        }
        return published;
    }

    @Override
    public void close()
    {
    }
}

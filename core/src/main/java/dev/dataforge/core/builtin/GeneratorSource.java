package dev.dataforge.core.builtin;

import dev.dataforge.api.source.EventPublisher;
import dev.dataforge.api.source.PartitionListener;
import dev.dataforge.api.source.Source;
import dev.dataforge.api.source.SourcePartition;
import dev.dataforge.codec.generator.GeneratorSettings;
import dev.dataforge.codec.generator.UserEventGenerator;

import java.util.List;

/**
 * {@code type: generator}: synthetic user events ({@link UserEventGenerator}) written straight into ring slots, at
 * the configured rate or as fast as the pipeline takes them. Event {@code n} is its position (partition 0, offset
 * n), so the same seed always gives the same events at the same positions.
 */
public final class GeneratorSource implements Source
{
    private static final SourcePartition PARTITION = new SourcePartition(GeneratorSourceFactory.TYPE, 0, "");

    private final GeneratorSettings settings;
    private final UserEventGenerator generator;
    private PartitionListener listener;
    private long next;
    private long first;
    private long startNanos;
    /** With a rate: nanoseconds between two events' due times; 0 unbounded. */
    private double nanosPerEvent;

    public GeneratorSource(final GeneratorSettings settings)
    {
        this.settings = settings;
        this.generator = new UserEventGenerator(settings);
    }

    /** Its one partition, 0, is assigned at open: recovery sets where it resumes (event n is at offset n). */
    @Override
    public void open() throws Exception
    {
        if (listener != null)
        {
            listener.assigned(List.of(0), new PartitionListener.Seeker()
            {
                @Override
                public void seek(final int partition, final long offset)
                {
                    next = offset;
                }

                @Override
                public void seekToStart(final int partition)
                {
                    next = 0;
                }

                @Override
                public void recreated(final int partition, final String checkpointedId)
                {
                    next = 0;
                }
            });
        }
        first = next;
        startNanos = System.nanoTime();
        nanosPerEvent = settings.rate() > 0 ? 1e9 / settings.rate() : 0;
    }

    @Override
    public void partitionListener(final PartitionListener partitionListener)
    {
        this.listener = partitionListener;
    }

    @Override
    public SourcePartition sourcePartition(final int partition)
    {
        return PARTITION;
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
            final long due = first + (System.nanoTime() - startNanos) / 1000 * settings.rate() / 1_000_000 + 1;
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
            if (nanosPerEvent > 0)
            {
                // open loop: event n was due at start + (n - first) / rate, whenever it is written
                publisher.dueAt(startNanos + (long)((next - first) * nanosPerEvent));
            }
            publisher.publish();
            next++;
            published++;
        }
        return published;
    }

    @Override
    public void close()
    {
        if (listener != null)
        {
            listener.revoked(List.of(0));
            listener = null;
        }
    }
}

package dev.dataforge.core.config;

import dev.dataforge.api.config.Location;
import dev.dataforge.tuning.StageThreads;

import java.util.Map;

/**
 * The {@code runtime:} section.
 *
 * @param ringSize     slots in the ring, a power of two.
 * @param waitStrategy default wait strategy of every stage.
 * @param stageThreads {@code dedicated}: process and sink stages each have a thread; {@code shared}: one thread runs
 *                     both (two threads in all, right for a 2-core host); {@code auto}: shared below 4 CPUs.
 * @param stages       per-stage overrides by stage name.
 * @param ringBytes    bytes of ring memory the slots' records share, 0 for the default ({@link #ringBytes(int)}).
 */
public record RuntimeConfig(
    int ringSize, String waitStrategy, String stageThreads, Map<String, StageConfig> stages, long ringBytes,
    Location location)
{
    /** Ring memory at least: room for a few records of the default {@code max_record_bytes} (1 MiB) in flight. */
    public static final long MIN_DEFAULT_RING_BYTES = 8L << 20;

    public RuntimeConfig(final int ringSize, final String waitStrategy, final String stageThreads,
        final Map<String, StageConfig> stages, final Location location)
    {
        this(ringSize, waitStrategy, stageThreads, stages, 0, location);
    }

    /**
     * @param slotBytes the room a record of the layout takes by default (its fixed part, cache-line aligned).
     * @return the ring's memory: as configured, else every slot's default room, at least
     * {@link #MIN_DEFAULT_RING_BYTES}.
     */
    public long ringBytes(final int slotBytes)
    {
        return ringBytes > 0 ? ringBytes : Math.max((long)ringSize * slotBytes, MIN_DEFAULT_RING_BYTES);
    }

    public static final String AUTO = StageThreads.AUTO;
    public static final String SHARED = StageThreads.SHARED;
    public static final String DEDICATED = StageThreads.DEDICATED;

    /** @return true when the process and sink stages run on one thread on this host. */
    public boolean sharedStageThread()
    {
        return StageThreads.shared(stageThreads, Runtime.getRuntime().availableProcessors());
    }
}

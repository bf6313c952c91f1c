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
 */
public record RuntimeConfig(
    int ringSize, String waitStrategy, String stageThreads, Map<String, StageConfig> stages, Location location)
{
    public static final String AUTO = StageThreads.AUTO;
    public static final String SHARED = StageThreads.SHARED;
    public static final String DEDICATED = StageThreads.DEDICATED;

    /** @return true when the process and sink stages run on one thread on this host. */
    public boolean sharedStageThread()
    {
        return StageThreads.shared(stageThreads, Runtime.getRuntime().availableProcessors());
    }
}

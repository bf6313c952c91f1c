package dev.dataforge.core.config;

import dev.dataforge.api.config.Location;

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
    public static final String AUTO = "auto";
    public static final String SHARED = "shared";
    public static final String DEDICATED = "dedicated";

    /** @return true when the process and sink stages run on one thread on this host. */
    public boolean sharedStageThread()
    {
        return SHARED.equals(stageThreads) ||
            AUTO.equals(stageThreads) && Runtime.getRuntime().availableProcessors() < 4;
    }
}

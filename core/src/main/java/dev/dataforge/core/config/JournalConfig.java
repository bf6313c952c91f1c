package dev.dataforge.core.config;

import dev.dataforge.api.config.Location;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code journal:} section.
 *
 * @param enabled       true or false as written; null when unset: on where every sink is transactional (keeps
 *                      checkpoints), which the plan decides.
 * @param path          the journal's directory (relative paths resolve against the pipeline file's directory);
 *                      null: {@code data/<pipeline>/journal} there.
 * @param rollCycle     {@code minutely}, {@code hourly} or {@code daily}: the unit retention deletes.
 * @param retentionTime cycles older than this may go once every sink is past them.
 * @param retentionSize the journal's disk budget; beyond it appends wait (backpressure) for sinks to move on.
 * @param sync          {@code none}, {@code batch} or {@code every N} (see the journal's SyncPolicy).
 */
public record JournalConfig(Boolean enabled, Path path, String rollCycle, Duration retentionTime, long retentionSize,
    String sync, Location location)
{
    public static final Duration DEFAULT_TIME = Duration.ofDays(7);
    public static final long DEFAULT_SIZE = 20L << 30;

    /** @return the section as it is when a pipeline has none. */
    public static JournalConfig unset(final Location pipeline)
    {
        return new JournalConfig(null, null, "hourly", DEFAULT_TIME, DEFAULT_SIZE, "none", pipeline);
    }
}

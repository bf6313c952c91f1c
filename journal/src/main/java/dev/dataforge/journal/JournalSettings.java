package dev.dataforge.journal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a journal is kept.
 *
 * @param path               the directory of its cycle files (created when missing).
 * @param rollCycle          how often a new cycle file starts.
 * @param retentionTime      cycles older than this may be deleted (once no reader needs them); null: kept by size.
 * @param retentionSizeBytes the disk budget: beyond it the oldest unneeded cycles are deleted, and when none can be,
 *                           appends are {@link Journal#BACK_PRESSURED}.
 * @param sync               when appends are forced to disk.
 */
public record JournalSettings(Path path, JournalRollCycle rollCycle, Duration retentionTime, long retentionSizeBytes,
    SyncPolicy sync)
{
    public static final long DEFAULT_SIZE = 20L << 30;
    public static final Duration DEFAULT_TIME = Duration.ofDays(7);

    /** @return settings for {@code path}: hourly cycles, 7 days, 20 GiB, sync none; change with the withers. */
    public static JournalSettings of(final Path path)
    {
        return new JournalSettings(path, JournalRollCycle.HOURLY, DEFAULT_TIME, DEFAULT_SIZE, SyncPolicy.NONE);
    }

    public JournalSettings withRollCycle(final JournalRollCycle c)
    {
        return new JournalSettings(path, c, retentionTime, retentionSizeBytes, sync);
    }

    public JournalSettings withRetentionTime(final Duration d)
    {
        return new JournalSettings(path, rollCycle, d, retentionSizeBytes, sync);
    }

    public JournalSettings withRetentionSize(final long bytes)
    {
        return new JournalSettings(path, rollCycle, retentionTime, bytes, sync);
    }

    public JournalSettings withSync(final SyncPolicy s)
    {
        return new JournalSettings(path, rollCycle, retentionTime, retentionSizeBytes, s);
    }
}

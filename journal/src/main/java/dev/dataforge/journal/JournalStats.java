package dev.dataforge.journal;

/**
 * A journal's state as of one moment.
 *
 * @param bytes          bytes its cycle files take on disk.
 * @param cycles         how many roll cycles (files) it holds.
 * @param entries        how many entries it holds.
 * @param firstIndex     the oldest entry's index, or {@link Journal#NULL_INDEX}.
 * @param lastIndex      the newest entry's index, or {@link Journal#NULL_INDEX}.
 * @param firstIngestMillis the oldest entry's ingest time, or 0.
 * @param lastIngestMillis  the newest entry's ingest time, or 0.
 */
public record JournalStats(long bytes, int cycles, long entries, long firstIndex, long lastIndex,
    long firstIngestMillis, long lastIngestMillis)
{
}

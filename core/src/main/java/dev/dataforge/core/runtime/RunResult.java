package dev.dataforge.core.runtime;

import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * What a finished run did. {@code eventsIn == delivered + filtered + deadLetters + revoked} whenever {@link #error()} is
 * null and the ring drained.
 *
 * @param endReason why the run ended: "source ended", "event limit reached", "duration reached", "stopped", or
 *                  the failing stage.
 * @param revoked   events read but given back to the source's group: their partition moved to another instance
 *                  before they were committed, and its owner reads them again.
 * @param undelivered events published but neither delivered, filtered nor dead-lettered (only after an error or a
 *                    drain timeout).
 * @param error       the first failure, or null.
 * @param sourcePartitions records read per source partition.
 */
public record RunResult(
    String pipeline,
    String source,
    String sink,
    String deadLetterQueue,
    long eventsIn,
    long delivered,
    long filtered,
    long deadLetters,
    long revoked,
    long undelivered,
    long commits,
    double elapsedSeconds,
    Histogram endToEndNanos,
    String endReason,
    String error,
    Map<Integer, Long> sourcePartitions)
{
    public double throughput()
    {
        return elapsedSeconds > 0 ? eventsIn / elapsedSeconds : 0;
    }

    public boolean countsAddUp()
    {
        return eventsIn == delivered + filtered + deadLetters + revoked;
    }
}

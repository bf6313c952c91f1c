package dev.dataforge.core.runtime;

import org.HdrHistogram.Histogram;

import java.util.List;
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
 * @param sinks       each sink's counts, in the order declared; the sink, dead-letter queue and counts above are the
 *                    first sink's (the only one's in a pipeline of one).
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
    Map<Integer, Long> sourcePartitions,
    List<SinkResult> sinks)
{
    /**
     * What one sink did: {@code in == delivered + filtered + deadLetters + revoked + skipped}, where filtered holds
     * the events a route sent only to other sinks, and skipped those read again for a sink behind this one.
     */
    public record SinkResult(String name, String sink, String deadLetterQueue, long in, long delivered,
        long filtered, long deadLetters, long revoked, long skipped, long commits)
    {
        public boolean countsAddUp()
        {
            return in == delivered + filtered + deadLetters + revoked + skipped;
        }
    }

    public double throughput()
    {
        return elapsedSeconds > 0 ? eventsIn / elapsedSeconds : 0;
    }

    /** @return whether every sink's counts add up to the events read (each sink sees every event). */
    public boolean countsAddUp()
    {
        if (sinks.isEmpty())
        {
            return eventsIn == delivered + filtered + deadLetters + revoked;
        }
        for (final SinkResult s : sinks)
        {
            if (s.in() != eventsIn || !s.countsAddUp())
            {
                return false;
            }
        }
        return true; // the counts above are the first sink's, checked with it
    }
}

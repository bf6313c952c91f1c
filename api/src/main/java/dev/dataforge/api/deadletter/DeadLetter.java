package dev.dataforge.api.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One dead letter: an event that could not be decoded, processed or delivered, with why, where and from which source
 * position. This is the error path: a dead letter is an object with its own copy of the bytes.
 *
 * @param time      when it was dead-lettered.
 * @param pipeline  the pipeline's name.
 * @param stage     where: {@code source} (the record could not be decoded), a transform ({@code filter.1},
 *                  {@code enrich.2}), or {@code sink} (the destination rejected the event).
 * @param reason    why, in words a user can act on.
 * @param partition the source partition, numbered as in checkpoints.
 * @param offset    the source offset in that partition.
 * @param original  true when {@code payload} holds the source record's original bytes (the {@code source} stage),
 *                  false when it holds the event as a JSON object.
 * @param payload   what can be re-driven: the original bytes, or the event as JSON (UTF-8).
 */
public record DeadLetter(Instant time, String pipeline, String stage, String reason, int partition, long offset,
    boolean original, byte[] payload)
{
    /** The stage named in dead letters of records the source could not decode. */
    public static final String SOURCE_STAGE = "source";
    /** The stage named in dead letters of events the sink's destination rejected. */
    public static final String SINK_STAGE = "sink";

    /** @return the payload as UTF-8 text (JSON, or the original bytes as far as they are text). */
    public String payloadText()
    {
        return new String(payload, StandardCharsets.UTF_8);
    }
}

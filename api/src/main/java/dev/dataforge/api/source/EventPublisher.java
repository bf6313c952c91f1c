package dev.dataforge.api.source;

import org.agrona.MutableDirectBuffer;

/**
 * How a source moves events into the ring without allocating: claim a slot, write the event's record into
 * {@link #buffer()} at the returned base offset (SBE header then block, as the pipeline's layout says), then
 * publish. A full ring is not an error: {@link #tryClaim()} returns {@link #NO_SLOT} and the source pauses.
 * <pre>
 *   int base = publisher.tryClaim();
 *   if (base == EventPublisher.NO_SLOT) { pause; return; }
 *   write the record at buffer() + base;
 *   publisher.sourcePosition(partition, offset);
 *   publisher.publish();
 * </pre>
 */
public interface EventPublisher
{
    /** Returned by {@link #tryClaim()} when the ring is full: backpressure. */
    int NO_SLOT = -1;

    /**
     * @return the base offset in {@link #buffer()} of a slot now owned by the caller, or {@link #NO_SLOT}. A claimed
     * slot must be published before the next claim.
     */
    int tryClaim();

    /**
     * Claims a slot with room for a record of up to {@code capacity} bytes (records differ in length: strings and
     * json are variable). {@link #tryClaim()} is a claim of {@link #slotCapacity()}.
     *
     * @return as {@link #tryClaim()}.
     * @throws IllegalArgumentException when {@code capacity} is more than {@link #maxClaim()}.
     */
    int tryClaim(int capacity);

    /** @return the largest room one claim can take (half of the ring's memory). */
    int maxClaim();

    /** @return the memory all slots live in; valid for the life of the pipeline. */
    MutableDirectBuffer buffer();

    /** @return bytes a claim takes by default (at least the layout's fixed record length). */
    int slotCapacity();

    /** Records where the claimed record came from (a Kafka partition and offset; a generator uses 0 and a counter). */
    void sourcePosition(int partition, long offset);

    /** Hands the claimed slot to the stages. */
    void publish();

    /**
     * Stamps the claimed event with the time it was due, in {@link System#nanoTime()} terms, for a source that paces
     * itself (a load generator at a fixed rate): end-to-end latency is then measured from when the event should have
     * entered, not from when a late source got round to it, so a stall is not hidden (coordinated omission). Other
     * sources leave the poll's time.
     */
    default void dueAt(final long nanos)
    {
    }

    /**
     * Hands the claimed slot to the stages as a dead letter: it is counted, journaled and written to the dead-letter
     * queue with the reason, never delivered. The slot holds the original bytes from its base, {@code length} long.
     */
    void publishDeadLetter(int length, String reason);

    /**
     * Hands the claimed slot to the stages as a dead letter whose original bytes do not fit in a slot: the
     * dead-letter queue gets {@code original} whole. The error path: allocating the array is fine here.
     */
    void publishDeadLetter(byte[] original, String reason);

    /**
     * Hands the claimed slot to the stages holding a record's raw bytes, {@code length} long from its base: the
     * source's {@link RecordDecoder} decodes it on the process stage.
     */
    void publishRaw(int length);
}

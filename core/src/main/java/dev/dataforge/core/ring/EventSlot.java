package dev.dataforge.core.ring;

import org.agrona.DirectBuffer;

/**
 * One preallocated ring entry. The event's record lives in the ring's shared memory at {@link #base()} (given by the
 * publisher at each claim: records differ in length, see {@link Ring}); this object
 * only carries what the stages tell each other about it: its length, source position and its
 * partition's claim, poll time and status. Written
 * by one stage at a time, in ring order (the source when it claims, the process stage, then the sink stage).
 */
public final class EventSlot
{
    public static final byte PASS = 0;
    public static final byte FILTERED = 1;
    public static final byte DEAD_LETTER = 2;
    /** Raw source bytes, {@link #length()} long, for the source's decoder on the process stage. */
    public static final byte RAW = 3;

    private int base;

    private int length;
    private int partition;
    private long sourceOffset;
    private long pollNanos;
    private byte status;
    private String deadLetterReason;
    private String deadLetterStage;
    private long journalIndex = -1;
    private long claim;
    private byte[] original;
    private long sinks = ALL_SINKS;

    /** The sink mask of an event no route has narrowed: every sink of the pipeline. */
    public static final long ALL_SINKS = -1L;

    public EventSlot(final int base)
    {
        this.base = base;
    }

    /** Readies a claimed slot for a new event of {@code recordLength} bytes polled at {@code nanos}. */
    public void reset(final int recordLength, final long nanos)
    {
        status = PASS;
        length = recordLength;
        partition = 0;
        sourceOffset = 0;
        journalIndex = -1;
        claim = 0;
        deadLetterReason = null;
        deadLetterStage = null;
        original = null;
        sinks = ALL_SINKS;
        pollNanos = nanos;
    }

    /** @return offset of the record in the ring's memory. */
    public int base()
    {
        return base;
    }

    /** Places the claimed slot's record at {@code at} in the ring's memory (the publisher, when it claims). */
    public void base(final int at)
    {
        base = at;
    }

    public int length()
    {
        return length;
    }

    public void length(final int n)
    {
        length = n;
    }

    public int partition()
    {
        return partition;
    }

    public long sourceOffset()
    {
        return sourceOffset;
    }

    public void sourcePosition(final int newPartition, final long offset)
    {
        partition = newPartition;
        sourceOffset = offset;
    }

    /** @return the partition's claim when the event was published (see {@link Claims}). */
    public long claim()
    {
        return claim;
    }

    public void claim(final long c)
    {
        claim = c;
    }

    public long pollNanos()
    {
        return pollNanos;
    }

    /** Sets the time end-to-end latency is measured from (see {@code EventPublisher.dueAt}). */
    public void pollNanos(final long nanos)
    {
        pollNanos = nanos;
    }

    public byte status()
    {
        return status;
    }

    public void status(final byte s)
    {
        status = s;
    }

    public String deadLetterReason()
    {
        return deadLetterReason;
    }

    public String deadLetterStage()
    {
        return deadLetterStage;
    }

    /** Keeps the original bytes of a record that did not fit in the slot, for the dead-letter queue. */
    public void original(final byte[] bytes)
    {
        original = bytes;
    }

    /**
     * @return the original bytes of a record the source could not decode: kept beside the slot when they did not fit
     * in it, else copied from the slot ({@link #length()} bytes at {@link #base()} of {@code memory}). The error
     * path: it may allocate.
     */
    public byte[] sourceBytes(final DirectBuffer memory)
    {
        if (original != null)
        {
            return original;
        }
        final byte[] raw = new byte[length];
        memory.getBytes(base, raw);
        return raw;
    }

    /** @return the sinks this event goes to, bit {@code i} for the pipeline's sink {@code i}. */
    public long sinks()
    {
        return sinks;
    }

    /** Narrows the event to the sinks of {@code mask} (the route transform). */
    public void sinks(final long mask)
    {
        sinks = mask;
    }

    /** @return the event's journal index once journaled, else -1. */
    public long journalIndex()
    {
        return journalIndex;
    }

    public void journalIndex(final long index)
    {
        journalIndex = index;
    }

    /** Sets the status and the dead letter's stage and reason together (a journaled event read back). */
    public void status(final byte s, final String stage, final String reason)
    {
        status = s;
        deadLetterStage = stage;
        deadLetterReason = reason;
    }

    /** Marks the event a dead letter of {@code stage} for {@code reason}. */
    public void deadLetter(final String stage, final String reason)
    {
        status = DEAD_LETTER;
        deadLetterStage = stage;
        deadLetterReason = reason;
    }
}

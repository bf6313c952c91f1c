package dev.dataforge.core.runtime;

/**
 * One preallocated ring entry. The record's bytes live in the ring's shared memory at {@link #base()}; this object
 * only carries what the stages tell each other about it. Written by one stage at a time, in ring order.
 */
public final class EventSlot
{
    public static final byte PASS = 0;
    public static final byte FILTERED = 1;
    public static final byte DEAD_LETTER = 2;
    /** Raw source bytes, {@link #length()} long, for the source's decoder on the process stage. */
    public static final byte RAW = 3;

    private final int base;

    int length;
    int partition;
    long sourceOffset;
    long pollNanos;
    byte status;
    String deadLetterReason;
    String deadLetterStage;
    long journalIndex = -1;
    byte[] original;

    EventSlot(final int base)
    {
        this.base = base;
    }

    /** @return offset of the record in the ring's memory. */
    public int base()
    {
        return base;
    }

    public int length()
    {
        return length;
    }

    public int partition()
    {
        return partition;
    }

    public long sourceOffset()
    {
        return sourceOffset;
    }

    public long pollNanos()
    {
        return pollNanos;
    }

    public byte status()
    {
        return status;
    }

    public String deadLetterReason()
    {
        return deadLetterReason;
    }

    public String deadLetterStage()
    {
        return deadLetterStage;
    }

    /**
     * @return the original bytes of a record the source could not decode: kept beside the slot when they did not fit
     * in it, else copied from the slot ({@link #length()} bytes at {@link #base()} of {@code memory}). The error
     * path: it may allocate.
     */
    public byte[] sourceBytes(final org.agrona.DirectBuffer memory)
    {
        if (original != null)
        {
            return original;
        }
        final byte[] raw = new byte[length];
        memory.getBytes(base, raw);
        return raw;
    }

    public long journalIndex()
    {
        return journalIndex;
    }

    void deadLetter(final String stage, final String reason)
    {
        status = DEAD_LETTER;
        deadLetterStage = stage;
        deadLetterReason = reason;
    }
}

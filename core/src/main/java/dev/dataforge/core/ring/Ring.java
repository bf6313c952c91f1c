package dev.dataforge.core.ring;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import dev.dataforge.tuning.CursorSequence;
import dev.dataforge.tuning.RingSignal;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A pipeline's ring: {@code size} preallocated {@link EventSlot}s sequenced by a single-producer Disruptor ring
 * buffer, and one block of off-heap memory their records share. Records differ in length (strings and json are
 * variable), so the memory is a ring of bytes beside the ring of slots: the publisher gives each claimed slot the
 * room its record needs, cache-line aligned, right after the previous one, and wraps to the start when the rest of
 * the block is too short; the room of a slot is free again once every stage is past it, as the slot is.
 * <pre>
 *   memory: | slot 7 | slot 8 ..... | slot 9 | (free) .............. | slot 5 | slot 6 ...... | (pad) |
 *                                             ^ next claim            ^ oldest slot a stage still holds
 * </pre>
 * So small records stay packed in cache lines, a large one takes what it needs, and the memory is bounded: a claim
 * waits (backpressure) when either the slots or the bytes are used up. The largest record is half the block.
 */
public final class Ring
{
    private final UnsafeBuffer memory;
    private final RingBuffer<EventSlot> ringBuffer;
    private final RingSignal signal = new RingSignal();
    private final int slotSize;

    /** A ring whose memory holds {@code size} records of {@code recordLength} bytes. */
    public Ring(final int size, final int recordLength)
    {
        this(size, recordLength, (long)size * BitUtil.align(recordLength, 64));
    }

    /**
     * @param recordLength the room a claim takes by default (a fixed record's length).
     * @param bytes        the memory the records share.
     */
    public Ring(final int size, final int recordLength, final long bytes)
    {
        if (!BitUtil.isPowerOfTwo(size))
        {
            throw new IllegalArgumentException("ring size must be a power of two: " + size);
        }
        this.slotSize = BitUtil.align(recordLength, 64);
        final long block = BitUtil.align(Math.max(bytes, 2L * slotSize), 64);
        if (block > Integer.MAX_VALUE - 128)
        {
            throw new IllegalArgumentException("ring memory of " + bytes + " bytes is more than 2 GiB");
        }
        this.memory = new UnsafeBuffer(ByteBuffer.allocateDirect((int)block + 64).alignedSlice(64), 0, (int)block);
        final int[] next = {0};
        this.ringBuffer = RingBuffer.createSingleProducer(() -> new EventSlot(slotSize * next[0]++), size, signal);
        for (int i = 0; i < size; i++)
        {
            if (ringBuffer.get(i).base() != i * slotSize)
            {
                throw new IllegalStateException("ring slots were not created in sequence order");
            }
        }
    }

    public UnsafeBuffer memory()
    {
        return memory;
    }

    public RingBuffer<EventSlot> ringBuffer()
    {
        return ringBuffer;
    }

    public RingSignal signal()
    {
        return signal;
    }

    /** @return the room a claim takes by default. */
    public int slotSize()
    {
        return slotSize;
    }

    /** @return bytes of memory the records share. */
    public int bytes()
    {
        return memory.capacity();
    }

    /** @return the largest room one claim can take: half the memory, so a claim after a wrap always fits. */
    public int maxClaim()
    {
        return memory.capacity() / 2 & ~63;
    }

    public int size()
    {
        return ringBuffer.getBufferSize();
    }

    /** @return a sequence that reads the ring's cursor, for stage barriers. */
    public Sequence cursorSequence()
    {
        return new CursorSequence(ringBuffer);
    }
}

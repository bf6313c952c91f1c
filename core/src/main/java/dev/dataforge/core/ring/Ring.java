package dev.dataforge.core.ring;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import dev.dataforge.tuning.CursorSequence;
import dev.dataforge.tuning.RingSignal;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A pipeline's ring: {@code size} preallocated slots of {@code slotSize} bytes in one block of off-heap memory,
 * sequenced by a single-producer Disruptor ring buffer of {@link EventSlot}s.
 * <pre>
 *   memory: | slot 0 | slot 1 | ... | slot size-1 |    each slotSize bytes, cache-line aligned
 * </pre>
 */
public final class Ring
{
    private final UnsafeBuffer memory;
    private final RingBuffer<EventSlot> ringBuffer;
    private final RingSignal signal = new RingSignal();
    private final int slotSize;

    public Ring(final int size, final int recordLength)
    {
        if (!BitUtil.isPowerOfTwo(size))
        {
            throw new IllegalArgumentException("ring size must be a power of two: " + size);
        }
        this.slotSize = BitUtil.align(recordLength, 64);
        this.memory = new UnsafeBuffer(ByteBuffer.allocateDirect(size * slotSize + 64).alignedSlice(64));
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

    public int slotSize()
    {
        return slotSize;
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

package dev.dataforge.tuning;

import com.lmax.disruptor.Cursored;
import com.lmax.disruptor.Sequence;

/**
 * A read-only view of a ring's producer cursor as a {@link Sequence}, for {@link StageBarrier}s. With a single
 * producer the cursor is the highest published sequence.
 */
public final class CursorSequence extends Sequence
{
    private final Cursored ring;

    public CursorSequence(final Cursored ring)
    {
        this.ring = ring;
    }

    @Override
    public long get()
    {
        return ring.getCursor();
    }

    @Override
    public void set(final long value)
    {
        throw new UnsupportedOperationException("the cursor is the producer's");
    }
}

package dev.dataforge.tuning;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.FixedSequenceGroup;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;

/**
 * A sequence barrier with its own wait strategy, so each stage of one ring can wait its own way. It gates on the
 * single producer's cursor (published in order, so the cursor is the highest published sequence) and on the
 * stages it depends on.
 */
public final class StageBarrier implements SequenceBarrier
{
    private final StageWaitStrategy waitStrategy;
    private final Sequence cursor;
    private final Sequence dependentSequence;
    private volatile boolean alerted;

    /**
     * @param cursor     the ring's cursor ({@code RingBuffer} is a {@code Cursored}; pass a sequence tracking it).
     * @param dependents the stages that must see a slot first; none means only the producer.
     */
    public StageBarrier(final StageWaitStrategy waitStrategy, final Sequence cursor, final Sequence... dependents)
    {
        this.waitStrategy = waitStrategy;
        this.cursor = cursor;
        this.dependentSequence = dependents.length == 0 ? cursor :
            dependents.length == 1 ? dependents[0] : new FixedSequenceGroup(dependents);
    }

    @Override
    public long waitFor(final long sequence) throws AlertException, InterruptedException, TimeoutException
    {
        checkAlert();
        return waitStrategy.waitFor(sequence, cursor, dependentSequence, this);
    }

    @Override
    public long getCursor()
    {
        return dependentSequence.get();
    }

    @Override
    public boolean isAlerted()
    {
        return alerted;
    }

    @Override
    public void alert()
    {
        alerted = true;
        waitStrategy.signalAllWhenBlocking();
    }

    @Override
    public void clearAlert()
    {
        alerted = false;
    }

    @Override
    public void checkAlert() throws AlertException
    {
        if (alerted)
        {
            throw AlertException.INSTANCE;
        }
    }

    public StageWaitStrategy waitStrategy()
    {
        return waitStrategy;
    }
}

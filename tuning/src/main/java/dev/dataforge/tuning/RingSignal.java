package dev.dataforge.tuning;

import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The ring's own wait strategy. Stages wait through their {@link StageBarrier} with their own strategy; the ring
 * only needs to wake the stages that block, which this does when the producer publishes.
 */
public final class RingSignal implements WaitStrategy
{
    private final CopyOnWriteArrayList<StageWaitStrategy> blocking = new CopyOnWriteArrayList<>();
    private volatile StageWaitStrategy[] snapshot = new StageWaitStrategy[0];

    /** Registers a stage strategy that must be woken on publish. */
    public void register(final StageWaitStrategy strategy)
    {
        if (strategy.wakesOnPublish())
        {
            blocking.add(strategy);
            snapshot = blocking.toArray(new StageWaitStrategy[0]);
        }
    }

    @Override
    public long waitFor(
        final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
    {
        throw new UnsupportedOperationException("stages wait through their StageBarrier");
    }

    @Override
    public void signalAllWhenBlocking()
    {
        final StageWaitStrategy[] s = snapshot;
        for (int i = 0; i < s.length; i++)
        {
            s[i].signalAllWhenBlocking();
        }
    }
}

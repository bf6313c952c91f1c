package dev.dataforge.tuning;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sleeps on a lock until the producer signals (through {@link RingSignal}) or 1 ms passes: no CPU while idle, a
 * wake-up of some microseconds when events come.
 */
public final class BlockWaitStrategy extends StageWaitStrategy
{
    private static final long MAX_WAIT_NANOS = 1_000_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition published = lock.newCondition();
    private volatile boolean waiting;

    public BlockWaitStrategy(final long timeoutNanos)
    {
        super(timeoutNanos);
    }

    @Override
    protected void idle(final int count) throws InterruptedException
    {
        if (count < 100)
        {
            Thread.onSpinWait();
            return;
        }
        lock.lock();
        try
        {
            waiting = true;
            published.awaitNanos(MAX_WAIT_NANOS);
        }
        finally
        {
            waiting = false;
            lock.unlock();
        }
    }

    @Override
    public void signalAllWhenBlocking()
    {
        if (waiting)
        {
            lock.lock();
            try
            {
                published.signalAll();
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    @Override
    public boolean wakesOnPublish()
    {
        return true;
    }

    @Override
    public String name()
    {
        return "block";
    }
}

package dev.dataforge.tuning;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.TimeoutException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An idle stage stays idle across its flush timeouts: the backoff goes on where it was, and starts over on progress. */
class IdleWaitTest
{
    /** Records the idle count of every call, parking 50 us in each so that timeouts come after a few calls. */
    static final class Recording extends StageWaitStrategy
    {
        final List<Integer> counts = new ArrayList<>();

        Recording(final long timeoutNanos)
        {
            super(timeoutNanos);
        }

        @Override
        protected void idle(final int count)
        {
            counts.add(count);
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        }

        @Override
        protected int clockCheckFrom()
        {
            return 0;
        }

        @Override
        public String name()
        {
            return "recording";
        }
    }

    @Test
    void theIdleCountCarriesOverATimeoutAndProgressResetsIt() throws Exception
    {
        final RingBuffer<long[]> ring = RingBuffer.createSingleProducer(() -> new long[1], 16, new RingSignal());
        final Sequence cursor = new CursorSequence(ring);
        final Recording wait = new Recording(2_000_000);
        final StageBarrier barrier = new StageBarrier(wait, cursor);

        assertThrows(TimeoutException.class, () -> barrier.waitFor(0));
        final int afterFirst = wait.counts.size();
        assertTrue(afterFirst > 0);
        assertEquals(0, wait.counts.get(0), "the first wait starts idle");

        assertThrows(TimeoutException.class, () -> barrier.waitFor(0));
        assertEquals(afterFirst, wait.counts.get(afterFirst), "the second goes on from where the first timed out");

        ring.publish(ring.next());
        assertEquals(0, barrier.waitFor(0));
        assertThrows(TimeoutException.class, () -> barrier.waitFor(1));
        final int lastStart = wait.counts.size() - 1 - wait.counts.get(wait.counts.size() - 1);
        assertEquals(0, wait.counts.get(lastStart), "progress started the backoff over");
    }

    @Test
    void aStageParkedLongWakesWhenTheProducerPublishes() throws Exception
    {
        final RingSignal signal = new RingSignal();
        final RingBuffer<long[]> ring = RingBuffer.createSingleProducer(() -> new long[1], 16, signal);
        // idle parks of 10 minutes: without the publish's wake-up the wait below would outlast the test's bound
        final BackoffWaitStrategy wait = new BackoffWaitStrategy(10, 100_000, 600_000_000_000L, 0);
        signal.register(wait);
        final StageBarrier barrier = new StageBarrier(wait, new CursorSequence(ring));
        final java.util.concurrent.CompletableFuture<Long> got = java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
            {
                try
                {
                    return barrier.waitFor(0);
                }
                catch (final Exception e)
                {
                    throw new IllegalStateException(e);
                }
            }, r -> new Thread(r, "idle-stage").start());
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (!wait.sleeping())
        {
            assertTrue(System.nanoTime() < deadline, "the stage never parked long");
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        ring.publish(ring.next());
        assertEquals(0, got.get(60, java.util.concurrent.TimeUnit.SECONDS));
    }
}

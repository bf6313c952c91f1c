package dev.dataforge.tuning;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two stages in a chain on one ring, each with its own wait strategy:
 * <pre>
 *   producer --> [ring 256] --> first --> second (gates the producer)
 * </pre>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StageBarrierTest
{
    static final class Slot
    {
        long value;
        long seenByFirst = -1;
    }

    @ParameterizedTest
    @ValueSource(strings = {"backoff", "busy-spin", "yield", "sleep", "block"})
    void everyStrategyDeliversEverySlotInOrderBehindItsDependency(final String strategy) throws Exception
    {
        final RingSignal signal = new RingSignal();
        final RingBuffer<Slot> ring = RingBuffer.createSingleProducer(Slot::new, 256, signal);
        final Sequence cursor = new CursorSequence(ring);
        final StageWaitStrategy firstWait = WaitStrategies.create(strategy, 0);
        final StageWaitStrategy secondWait = WaitStrategies.create("backoff", 0);
        signal.register(firstWait);
        signal.register(secondWait);
        final long events = 200_000;
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicLong violations = new AtomicLong();
        final AtomicLong sum = new AtomicLong();

        final BatchEventProcessor<Slot> first = new BatchEventProcessorBuilder().build(ring,
            new StageBarrier(firstWait, cursor), (EventHandler<Slot>)(slot, seq, end) -> slot.seenByFirst = seq);
        final BatchEventProcessor<Slot> second = new BatchEventProcessorBuilder().build(ring,
            new StageBarrier(secondWait, cursor, first.getSequence()), (EventHandler<Slot>)(slot, seq, end) ->
            {
                if (slot.seenByFirst != seq || slot.value != seq)
                {
                    violations.incrementAndGet();
                }
                sum.addAndGet(slot.value);
                if (seq == events - 1)
                {
                    done.countDown();
                }
            });
        ring.addGatingSequences(second.getSequence());
        final Thread t1 = new Thread(first);
        final Thread t2 = new Thread(second);
        t1.start();
        t2.start();
        for (long i = 0; i < events; i++)
        {
            final long seq = ring.next();
            ring.get(seq).value = i;
            ring.publish(seq);
        }
        assertTrue(done.await(50, TimeUnit.SECONDS), strategy + " did not deliver everything");
        first.halt();
        second.halt();
        t1.join();
        t2.join();
        assertEquals(0, violations.get());
        assertEquals(events * (events - 1) / 2, sum.get());
    }

    @Test
    void anIdleStageTimesOutSoItCanFlush() throws Exception
    {
        final RingSignal signal = new RingSignal();
        final RingBuffer<Slot> ring = RingBuffer.createSingleProducer(Slot::new, 64, signal);
        final CountDownLatch timedOut = new CountDownLatch(3);
        final BatchEventProcessor<Slot> stage = new BatchEventProcessorBuilder().build(ring,
            new StageBarrier(WaitStrategies.create("backoff", TimeUnit.MILLISECONDS.toNanos(5)), new CursorSequence(ring)),
            new EventHandler<Slot>()
            {
                @Override
                public void onEvent(final Slot event, final long sequence, final boolean endOfBatch)
                {
                }

                @Override
                public void onTimeout(final long sequence)
                {
                    timedOut.countDown();
                }
            });
        final Thread t = new Thread(stage);
        t.start();
        assertTrue(timedOut.await(30, TimeUnit.SECONDS));
        stage.halt();
        t.join();
        assertFalse(stage.isRunning());
    }

    @Test
    void unknownStrategyNamesTheKnownOnes()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> WaitStrategies.create("spinny", 0));
        assertTrue(e.getMessage().contains("backoff, busy-spin, yield, sleep, block"), e.getMessage());
    }

    @Test
    void pinningToACpuThatCannotBeReservedStillRuns() throws Exception
    {
        final CountDownLatch ran = new CountDownLatch(1);
        final Thread t = ThreadPlacement.newThread("test", 4096, ran::countDown);
        t.start();
        t.join();
        assertEquals(0, ran.getCount());
    }
}

package dev.dataforge.core.ingestion;

import com.lmax.disruptor.Sequence;
import dev.dataforge.api.source.EventPublisher;
import dev.dataforge.core.metrics.Counter;
import dev.dataforge.core.ring.Claims;
import dev.dataforge.core.ring.Ring;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The publisher moves the ring's cursor in runs: what must reach the stages does, and a full ring never hides it. */
class RingPublisherTest
{
    private final Ring ring = new Ring(64, 64);
    private final Sequence stage = new Sequence(-1);
    private final Counter published = new Counter("published");
    private final RingPublisher publisher = new RingPublisher(ring, 64, published, new Counter("dead"),
        new Counter("backpressure"), new Claims());

    RingPublisherTest()
    {
        ring.ringBuffer().addGatingSequences(stage);
    }

    private void publishOne(final long offset)
    {
        assertNotEquals(EventPublisher.NO_SLOT, publisher.tryClaim());
        publisher.sourcePosition(0, offset);
        publisher.publish();
    }

    @Test
    void slotsReachTheStagesAtFlushOrAfterARun()
    {
        publishOne(0);
        publishOne(1);
        assertEquals(-1, ring.ringBuffer().getCursor(), "finished slots wait for the flush");
        assertEquals(2, published.get(), "but count as published at once");
        publisher.flush();
        assertEquals(1, ring.ringBuffer().getCursor());
        publisher.flush();
        assertEquals(1, ring.ringBuffer().getCursor(), "a flush with nothing new is a no-op");
    }

    @Test
    void aFullRingShowsTheStagesEverySlotSoTheyCanFreeThem()
    {
        for (int i = 0; i < 64; i++)
        {
            publishOne(i);
        }
        // no flush by the source: the claim that finds the ring full must publish what it holds, else the stages
        // never see those slots, never free them, and the source waits for ever
        assertEquals(EventPublisher.NO_SLOT, publisher.tryClaim());
        assertEquals(63, ring.ringBuffer().getCursor());
        assertEquals(1, publisher.backpressureCount());
        stage.set(9); // the stages took ten
        for (int i = 0; i < 10; i++)
        {
            publishOne(64 + i);
        }
        assertEquals(EventPublisher.NO_SLOT, publisher.tryClaim());
        assertEquals(73, ring.ringBuffer().getCursor());
        assertEquals(74, published.get());
    }
}

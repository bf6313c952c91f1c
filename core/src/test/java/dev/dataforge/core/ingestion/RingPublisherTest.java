package dev.dataforge.core.ingestion;

import com.lmax.disruptor.Sequence;
import dev.dataforge.api.source.EventPublisher;
import dev.dataforge.core.metrics.Counter;
import dev.dataforge.core.ring.Claims;
import dev.dataforge.core.ring.Ring;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * Records of mixed sizes in a small block of bytes: each claim gets room of its own that no record a stage still
     * holds overlaps, a claim wraps to the block's start when the end is too short, and a block full of records the
     * stages hold is backpressure until they move on.
     */
    @Test
    void recordsOfAnySizeShareTheBlockWithoutOverlappingWhatTheStagesHold()
    {
        final Ring small = new Ring(64, 64, 4096);
        final Sequence consumer = new Sequence(-1);
        small.ringBuffer().addGatingSequences(consumer);
        final RingPublisher p = new RingPublisher(small, 64, new Counter("p"), new Counter("d"), new Counter("b"),
            new Claims());
        assertEquals(2048, p.maxClaim());
        final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        final java.util.ArrayDeque<int[]> held = new java.util.ArrayDeque<>(); // base, room, sequence
        long sequence = -1;
        int wraps = 0;
        int full = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final int size = 1 + random.nextInt(random.nextInt(10) == 0 ? 2048 : 200);
            final int base = p.tryClaim(size);
            if (base == EventPublisher.NO_SLOT)
            {
                full++;
                final int release = 1 + random.nextInt(Math.max(1, held.size()));
                for (int r = 0; r < release && !held.isEmpty(); r++)
                {
                    consumer.set(held.poll()[2]);
                }
                continue;
            }
            final int room = (size + 63) & ~63;
            assertEquals(0, base % 64, "cache-line aligned");
            assertTrue(base + room <= 4096, "inside the block");
            for (final int[] h : held)
            {
                assertTrue(base + room <= h[0] || h[0] + h[1] <= base, "claim " + i + " at " + base + "+" + room +
                    " overlaps a held record at " + h[0] + "+" + h[1]);
            }
            if (!held.isEmpty() && base < held.peekLast()[0])
            {
                wraps++;
            }
            p.sourcePosition(0, i);
            p.publish();
            held.add(new int[] {base, room, (int)++sequence});
        }
        assertTrue(wraps > 100 && full > 100, "wrapped " + wraps + " times, full " + full + " times");
        assertThrows(IllegalArgumentException.class, () -> p.tryClaim(2049));
    }
}

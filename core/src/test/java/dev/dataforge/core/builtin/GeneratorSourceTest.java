package dev.dataforge.core.builtin;

import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.codec.generator.GeneratorSettings;
import dev.dataforge.core.ingestion.RingPublisher;
import dev.dataforge.core.metrics.Counter;
import dev.dataforge.core.ring.Claims;
import dev.dataforge.core.ring.Ring;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorSourceTest
{
    /**
     * A paced generator stamps each event with when it was due, not when it was written: events written together
     * after a stall are a rate's interval apart, so end-to-end latency counts the stall (no coordinated omission).
     */
    @Test
    void aPacedGeneratorStampsEachEventWithItsDueTime() throws Exception
    {
        final int recordLength = SbeLayouts.userEvent().recordLength();
        final Ring ring = new Ring(1024, recordLength);
        final RingPublisher publisher = new RingPublisher(ring, recordLength, new Counter("in"), new Counter("dead"),
            new Counter("backpressure"), new Claims());
        final long rate = 10_000; // one event due every 100 us
        final GeneratorSource source = new GeneratorSource(new GeneratorSettings(42, rate, 0,
            GeneratorSettings.DEFAULT_TYPES, 1000, 0, 4, 20, 1_767_225_600_000_000L));
        final long before = System.nanoTime();
        source.open();
        publisher.pollStarted(System.nanoTime());
        int published = source.poll(publisher, 1024);
        // let several come due, then take them in one poll, as a source does after a stall
        while (System.nanoTime() - before < 5_000_000)
        {
            Thread.onSpinWait();
        }
        final long pollTime = System.nanoTime();
        publisher.pollStarted(pollTime);
        published += source.poll(publisher, 1024);
        final long after = System.nanoTime();
        publisher.flush();
        assertTrue(published >= 10, "events due after 5 ms at 10,000/s: " + published);
        final long first = ring.ringBuffer().get(0).pollNanos();
        assertTrue(first >= before && first <= pollTime);
        for (int n = 1; n < published; n++)
        {
            assertEquals(first + n * 100_000L, ring.ringBuffer().get(n).pollNanos(), 1.0, "event " + n);
        }
        assertTrue(ring.ringBuffer().get(published - 1).pollNanos() <= after, "none is due after it was written");
        assertTrue(ring.ringBuffer().get(0).pollNanos() < pollTime - 4_000_000, "the first was due long before");
    }
}

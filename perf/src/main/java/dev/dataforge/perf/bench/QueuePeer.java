package dev.dataforge.perf.bench;

import dev.dataforge.api.source.EventPublisher;
import dev.dataforge.api.source.Source;
import dev.dataforge.core.metrics.PipelineMetrics;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.processing.Transform;
import dev.dataforge.core.ring.EventSlot;
import dev.dataforge.core.runtime.Transforms;
import org.HdrHistogram.Histogram;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The peer that shows what the ring buys: the same source (the pipeline file's generator, paced the same way and
 * stamping the same due times) and the same fused transforms, wired the way one would without a ring, with two
 * plain threads and {@link ArrayBlockingQueue}s (a full queue of events and a free queue of preallocated slots, so
 * that it allocates no more than the ring does):
 * <pre>
 *   queue-peer-source: generator ──► full (ArrayBlockingQueue) ──► queue-peer-process: filter → enrich → count
 *                          ▲                                                              │
 *                          └────────────────────── free (ArrayBlockingQueue) ◄────────────┘
 * </pre>
 * Latency is taken where the transforms are done with an event that passes them (the pipeline's is taken after its
 * sink commits, a little later). When the paced source has nothing due it sleeps 50 us.
 */
final class QueuePeer
{
    private static final int SLOTS = 16_384;

    private QueuePeer()
    {
    }

    static Figures run(final Path file, final long rate, final long events, final GcPauses gc) throws Exception
    {
        final PipelinePlan plan = DataForgeRun.plan(file, rate);
        final int recordLength = plan.sourceLayout().recordLength();
        final int slotSize = Math.max(64, Integer.highestOneBit(recordLength - 1) << 1);
        final UnsafeBuffer memory = new UnsafeBuffer(ByteBuffer.allocateDirect(SLOTS * slotSize));
        final ArrayBlockingQueue<EventSlot> free = new ArrayBlockingQueue<>(SLOTS);
        final ArrayBlockingQueue<EventSlot> full = new ArrayBlockingQueue<>(SLOTS);
        for (int i = 0; i < SLOTS; i++)
        {
            free.add(new EventSlot(i * slotSize));
        }
        final Transform[] transforms = Transforms.create(plan.transforms(), new PipelineMetrics(plan.name()));
        final Histogram e2e = new Histogram(1, 3_600_000_000_000L, 3);
        final AtomicReference<Throwable> failed = new AtomicReference<>();
        final long[] consumed = {0};
        final Thread process = new Thread(() ->
        {
            try
            {
                for (long n = 0; n < events; n++)
                {
                    final EventSlot slot = full.take();
                    byte status = EventSlot.PASS;
                    for (int i = 0; i < transforms.length && status == EventSlot.PASS; i++)
                    {
                        status = transforms[i].apply(slot, memory, slot.base());
                    }
                    if (status == EventSlot.PASS)
                    {
                        e2e.recordValue(Math.max(1, System.nanoTime() - slot.pollNanos()));
                    }
                    free.put(slot);
                    consumed[0] = n + 1;
                }
            }
            catch (final Throwable t)
            {
                failed.set(t);
            }
        }, "queue-peer-process");
        final long[] window = new long[6]; // from, to, bytes at from, bytes at to, events at from, events at to
        final Thread source = new Thread(() ->
        {
            try (Source s = plan.sourceFactory().create(plan.sourceContext(plan.plannedSource())))
            {
                s.open();
                final QueuePublisher publisher = new QueuePublisher(memory, slotSize, free, full, recordLength);
                long published = 0;
                while (published < events && failed.get() == null)
                {
                    if (window[0] == 0 && published >= events / 5)
                    {
                        window[0] = System.nanoTime();
                        window[2] = HotThreads.allocated("queue-peer-")[0];
                        window[4] = published;
                    }
                    if (window[1] == 0 && published >= events * 9 / 10)
                    {
                        window[1] = System.nanoTime();
                        window[3] = HotThreads.allocated("queue-peer-")[0];
                        window[5] = published;
                    }
                    publisher.pollStarted(System.nanoTime());
                    final int n = s.poll(publisher, (int)Math.min(1024, events - published));
                    published += Math.max(0, n);
                    if (n <= 0)
                    {
                        LockSupport.parkNanos(50_000);
                    }
                }
            }
            catch (final Throwable t)
            {
                failed.set(t);
            }
        }, "queue-peer-source");
        final long start = System.nanoTime();
        process.start();
        source.start();
        source.join();
        process.join();
        final double seconds = (System.nanoTime() - start) / 1e9;
        if (failed.get() != null)
        {
            throw new IllegalStateException("the queue peer failed", failed.get());
        }
        final long from = window[0];
        final long to = window[1];
        // the steady window is the source's: the events it published from 20% to 90% of the run
        final double perEvent = to == 0 ? Double.NaN : (double)(window[3] - window[2]) / (window[5] - window[4]);
        return new Figures("threads + ArrayBlockingQueue", rate, consumed[0] / seconds, consumed[0], e2e, Map.of(),
            perEvent, gc.pauses(from, to), (to - from) / 1e9);
    }

    /** The peer's side of the source: claims block on the free queue, a publish puts the slot on the full one. */
    private static final class QueuePublisher implements EventPublisher
    {
        private final MutableDirectBuffer memory;
        private final int slotSize;
        private final ArrayBlockingQueue<EventSlot> free;
        private final ArrayBlockingQueue<EventSlot> full;
        private final int recordLength;
        private EventSlot slot;
        private long pollNanos;

        QueuePublisher(final MutableDirectBuffer memory, final int slotSize, final ArrayBlockingQueue<EventSlot> free,
            final ArrayBlockingQueue<EventSlot> full, final int recordLength)
        {
            this.memory = memory;
            this.slotSize = slotSize;
            this.free = free;
            this.full = full;
            this.recordLength = recordLength;
        }

        void pollStarted(final long nanos)
        {
            pollNanos = nanos;
        }

        @Override
        public int tryClaim()
        {
            try
            {
                slot = free.take();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return NO_SLOT;
            }
            slot.reset(recordLength, pollNanos);
            return slot.base();
        }

        @Override
        public int tryClaim(final int capacity)
        {
            if (capacity > slotSize)
            {
                throw new IllegalArgumentException("the queue peer's slots are " + slotSize + " bytes");
            }
            return tryClaim();
        }

        @Override
        public int maxClaim()
        {
            return slotSize;
        }

        @Override
        public MutableDirectBuffer buffer()
        {
            return memory;
        }

        @Override
        public int slotCapacity()
        {
            return slotSize;
        }

        @Override
        public void sourcePosition(final int partition, final long offset)
        {
            slot.sourcePosition(partition, offset);
        }

        @Override
        public void dueAt(final long nanos)
        {
            slot.pollNanos(nanos);
        }

        @Override
        public void publish()
        {
            try
            {
                full.put(slot);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void publishDeadLetter(final int length, final String reason)
        {
            publish();
        }

        @Override
        public void publishDeadLetter(final byte[] original, final String reason)
        {
            publish();
        }

        @Override
        public void publishRaw(final int length)
        {
            throw new UnsupportedOperationException("the queue peer runs generator pipelines only");
        }
    }
}

package dev.dataforge.core.ingestion;

import com.lmax.disruptor.RingBuffer;
import dev.dataforge.api.deadletter.DeadLetter;
import dev.dataforge.api.source.EventPublisher;
import dev.dataforge.core.metrics.Counter;
import dev.dataforge.core.ring.Claims;
import dev.dataforge.core.ring.EventSlot;
import dev.dataforge.core.ring.Ring;
import org.agrona.MutableDirectBuffer;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The source's side of the ring. Claims never block: a full ring returns {@link #NO_SLOT} and counts one
 * backpressure event, so the source can pause its input instead of dropping or buffering without bound.
 * <p>
 * Published slots reach the stages in runs: {@link #publish()} finishes a slot, and the ring's cursor moves (one
 * ordered store, one wake-up of the stages that sleep) at {@link #flush()}, which the source loop calls after each
 * poll, or once {@value #PUBLISH_EVERY} slots are waiting, or when the ring has no free slot left. Per record this
 * leaves the slot's writes and a few plain stores: no gating check and no signal, which cost the source thread a
 * quarter of its time when every record moved the cursor (a JFR profile of Kafka source → blackhole: Disruptor's
 * capacity check with its StoreLoad fence, and {@code unpark} of the process stage, per record).
 */
public final class RingPublisher implements EventPublisher
{
    /** Finished slots that wait at most this many for the cursor to move. */
    static final int PUBLISH_EVERY = 256;

    private final RingBuffer<EventSlot> ringBuffer;
    private final MutableDirectBuffer memory;
    private final int slotCapacity;
    private final int recordLength;
    private final Counter published;
    private final Counter deadLettered;
    private final Counter backpressure;
    private final Claims claims;
    private long claimed = -1;
    /** The last finished slot's sequence, and how many finished slots the cursor has not reached. */
    private long finished = -1;
    private int unflushed;
    /** Slots known free without asking the gating sequence again. */
    private long free;
    private long[] partitionCounts = new long[8];
    private EventSlot slot;
    private long pollNanos;

    public RingPublisher(
        final Ring ring, final int recordLength, final Counter published, final Counter deadLettered,
        final Counter backpressure, final Claims claims)
    {
        this.claims = claims;
        this.ringBuffer = ring.ringBuffer();
        this.memory = ring.memory();
        this.slotCapacity = ring.slotSize();
        this.recordLength = recordLength;
        this.published = published;
        this.deadLettered = deadLettered;
        this.backpressure = backpressure;
    }

    /** Stamps the records of the coming poll with the time they were polled. */
    public void pollStarted(final long nanos)
    {
        pollNanos = nanos;
    }

    @Override
    public int tryClaim()
    {
        if (claimed >= 0)
        {
            throw new IllegalStateException("the claimed slot must be published before the next claim");
        }
        if (free == 0)
        {
            flush(); // the stages can free only what they see
            free = ringBuffer.remainingCapacity();
            if (free == 0)
            {
                backpressure.increment();
                return NO_SLOT;
            }
        }
        free--;
        claimed = ringBuffer.next();
        slot = ringBuffer.get(claimed);
        slot.reset(recordLength, pollNanos);
        return slot.base();
    }

    @Override
    public MutableDirectBuffer buffer()
    {
        return memory;
    }

    @Override
    public int slotCapacity()
    {
        return slotCapacity;
    }

    @Override
    public void sourcePosition(final int partition, final long offset)
    {
        slot.sourcePosition(partition, offset);
        slot.claim(claims.claim(partition));
    }

    public long backpressureCount()
    {
        return backpressure.get();
    }

    /** @return records published per source partition; read it only after the source thread has ended. */
    public Map<Integer, Long> partitionCounts()
    {
        final Map<Integer, Long> out = new TreeMap<>();
        for (int p = 0; p < partitionCounts.length; p++)
        {
            if (partitionCounts[p] > 0)
            {
                out.put(p, partitionCounts[p]);
            }
        }
        return out;
    }

    @Override
    public void publish()
    {
        final long sequence = claimed;
        claimed = -1;
        final int partition = slot.partition();
        if (partition >= partitionCounts.length)
        {
            partitionCounts = Arrays.copyOf(partitionCounts, Math.max(partition + 1,
                partitionCounts.length * 2));
        }
        partitionCounts[partition]++;
        published.increment(); // before the slot can be seen (Disruptor's next() may move the cursor early)
        finished = sequence;
        if (++unflushed >= PUBLISH_EVERY)
        {
            flush();
        }
    }

    /** Moves the cursor to the last finished slot: the stages see every slot published so far. */
    public void flush()
    {
        if (unflushed > 0)
        {
            unflushed = 0;
            ringBuffer.publish(finished);
        }
    }

    @Override
    public void dueAt(final long nanos)
    {
        slot.pollNanos(nanos);
    }

    @Override
    public void publishRaw(final int length)
    {
        slot.length(length);
        slot.status(EventSlot.RAW);
        publish();
    }

    @Override
    public void publishDeadLetter(final byte[] original, final String reason)
    {
        slot.original(original);
        publishDeadLetter(0, reason);
    }

    @Override
    public void publishDeadLetter(final int length, final String reason)
    {
        slot.length(Math.min(length, slotCapacity));
        slot.deadLetter(DeadLetter.SOURCE_STAGE, reason);
        deadLettered.increment();
        publish();
    }
}

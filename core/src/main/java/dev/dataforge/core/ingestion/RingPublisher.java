package dev.dataforge.core.ingestion;

import com.lmax.disruptor.RingBuffer;
import dev.dataforge.api.deadletter.DeadLetter;
import dev.dataforge.api.source.EventPublisher;
import dev.dataforge.codec.RecordLayout;
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
 * <p>
 * Each claim also takes room in the ring's memory for its record ({@link Ring}): the room asked for, cache-line
 * aligned, after the last claim's, wrapping to the start when the block's end is too short. Room is free again when
 * the stages are past the slot that took it; the publisher learns that from the same gating sequence as for slots,
 * only when the room it knows free runs out.
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
    /** The layout the source writes, to read a written record's length (null: every record is recordLength). */
    private final RecordLayout layout;
    /** The ring's memory as a ring of bytes: its size, bytes ever claimed, and below which bytes are known free. */
    private final int bytes;
    private final int maxClaim;
    private long head;
    /** {@link #head} within the block: where the next claim's room starts unless it must wrap. */
    private int position;
    private long tail;
    /** The value of {@link #head} before each slot's claim, by slot index: where its room starts. */
    private final long[] starts;
    private final int mask;
    private long lastClaimed = -1;
    private int claimedRoom;

    public RingPublisher(
        final Ring ring, final int recordLength, final Counter published, final Counter deadLettered,
        final Counter backpressure, final Claims claims)
    {
        this(ring, recordLength, null, published, deadLettered, backpressure, claims);
    }

    /**
     * @param layout the source's layout: when it has variable fields, a published record's length is read from it.
     */
    public RingPublisher(
        final Ring ring, final int recordLength, final RecordLayout layout, final Counter published,
        final Counter deadLettered, final Counter backpressure, final Claims claims)
    {
        this.layout = layout != null && layout.isVariable() ? layout : null;
        this.bytes = ring.bytes();
        this.maxClaim = ring.maxClaim();
        this.starts = new long[ring.size()];
        this.mask = ring.size() - 1;
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
        return tryClaim(slotCapacity);
    }

    @Override
    public int tryClaim(final int capacity)
    {
        if (claimed >= 0)
        {
            throw new IllegalStateException("the claimed slot must be published before the next claim");
        }
        if (capacity > maxClaim || capacity < 0)
        {
            throw new IllegalArgumentException("a claim of " + capacity + " bytes is more than the ring's largest (" +
                maxClaim + ": half of runtime 'ring_bytes')");
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
        final int room = (capacity + 63) & ~63;
        final int at = position;
        final int pad = at + room > bytes ? bytes - at : 0;
        if (head + pad + room - tail > bytes)
        {
            flush();
            tail = oldestStart();
            if (head + pad + room - tail > bytes)
            {
                backpressure.increment();
                return NO_SLOT;
            }
        }
        free--;
        claimed = ringBuffer.next();
        lastClaimed = claimed;
        starts[(int)claimed & mask] = head;
        head += pad + room;
        position = pad > 0 ? room : at + room == bytes ? 0 : at + room;
        claimedRoom = room;
        slot = ringBuffer.get(claimed);
        slot.reset(recordLength, pollNanos);
        slot.base(pad > 0 ? 0 : at);
        return slot.base();
    }

    /** @return where the room of the oldest slot a stage still holds starts; {@link #head} when none is held. */
    private long oldestStart()
    {
        final long oldest = ringBuffer.getMinimumGatingSequence() + 1;
        return oldest > lastClaimed ? head : starts[(int)oldest & mask];
    }

    @Override
    public int maxClaim()
    {
        return maxClaim;
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
        if (layout != null && slot.status() == EventSlot.PASS)
        {
            slot.length(layout.recordLength(memory, slot.base()));
        }
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
        slot.length(Math.min(length, claimedRoom));
        slot.deadLetter(DeadLetter.SOURCE_STAGE, reason);
        deadLettered.increment();
        publish();
    }
}

package dev.dataforge.core.runtime;

import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.source.SourcePartition;
import dev.dataforge.core.delivery.JournalCodec;
import dev.dataforge.journal.EntryHeader;
import dev.dataforge.journal.Journal;
import dev.dataforge.journal.JournalReader;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recovery with the journal. At the first assignment of a run, for each assigned partition it reads what the journal
 * holds of it (entries of the same source id only) and decides:
 * <ul>
 *   <li>the journal <b>covers</b> the partition when every sink either holds everything journaled of it, or keeps a
 *   checkpoint after which the journal still holds every entry of it (the checkpoint's journal index is still held,
 *   or the partition's first held entry follows the checkpoint's offset directly). Then the journal re-delivers
 *   the entries after each sink's checkpoint, and the source resumes after the last journaled offset;</li>
 *   <li>else the source resumes after the checkpoint of the sink furthest behind, as without a journal, and the
 *   partition's entries of earlier runs are passed over (taken as not owned).</li>
 * </ul>
 * Each sink's feed then starts after the oldest checkpointed journal index of the partitions it has to catch up on
 * (entries before a sink's checkpoint offset are skipped by the stage, as after any restart).
 * <p>
 * At a later assignment (a rebalance) the feeds have read past the partition's older entries, so it is read again
 * from the source after its checkpoints, like without a journal; a revocation stops the partition's replay before
 * its claim is released, so no feed takes an older entry under a newer claim.
 */
final class JournalRecovery
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalRecovery.class);

    private final Journal journal;
    private final long runStart;
    private final List<JournalFeed> feeds;
    private boolean first = true;
    private long[] pendingStarts;
    /** Per partition: whether its entries of earlier runs are re-delivered, and the source id they must carry. */
    private volatile long[] replay = new long[0];
    private volatile long[] replayHi = new long[0];
    private volatile long[] replayLo = new long[0];

    /**
     * @param feeds the sinks' feeds, in the order of the sinks (and of the checkpoints handed to {@link #assigned});
     *              filled by the caller before the source opens.
     */
    JournalRecovery(final Journal journal, final long runStart, final List<JournalFeed> feeds)
    {
        this.journal = journal;
        this.runStart = runStart;
        this.feeds = feeds;
    }

    /** @return whether an entry of an earlier run, of {@code partition} and that source id, is re-delivered. */
    boolean replays(final int partition, final long hi, final long lo)
    {
        final long[] r = replay;
        return partition < r.length && r[partition] != 0 && replayHi[partition] == hi && replayLo[partition] == lo;
    }

    /** A revocation: before the claims are released, the partitions' older entries stop being re-delivered. */
    synchronized void revoked(final Iterable<Integer> partitions)
    {
        for (final int p : partitions)
        {
            stopReplay(p);
        }
    }

    /**
     * An assignment, after the sinks' checkpoints were read, before the source is told where to resume.
     *
     * @param bySink per sink, the checkpoints of the assigned partitions in their order (null: the sink keeps none).
     * @return per partition number, the offset the source resumes at where the journal decides it.
     */
    synchronized Map<Integer, Long> assigned(final List<Integer> numbers, final List<SourcePartition> named,
        final List<List<Checkpoint>> bySink)
    {
        for (final int p : numbers)
        {
            stopReplay(p);
        }
        final Map<Integer, Long> seeks = new HashMap<>();
        if (!first)
        {
            return seeks;
        }
        first = false;
        long from = Long.MAX_VALUE;
        for (final List<Checkpoint> cps : bySink)
        {
            if (cps == null)
            {
                continue;
            }
            for (final Checkpoint c : cps)
            {
                from = Math.min(from, c == null || c.offset() == Checkpoint.NONE || c.journalIndex() < 0 ?
                    Journal.NULL_INDEX : c.journalIndex());
            }
        }
        final long[] starts = new long[feeds.size()];
        Arrays.fill(starts, Long.MAX_VALUE);
        pendingStarts = starts;
        if (from != Long.MAX_VALUE && journal.lastIndex() != Journal.NULL_INDEX)
        {
            final Held held = scan(from, numbers, named);
            final long firstIndex = journal.firstIndex();
            for (int i = 0; i < numbers.size(); i++)
            {
                final int p = numbers.get(i);
                if (held.last[i] == Long.MIN_VALUE)
                {
                    continue; // nothing journaled of it: the source resumes after the checkpoints
                }
                boolean covered = true;
                long behind = Long.MAX_VALUE;
                for (int s = 0; s < bySink.size() && covered; s++)
                {
                    final Checkpoint c = bySink.get(s) == null ? null : bySink.get(s).get(i);
                    if (bySink.get(s) == null)
                    {
                        continue;
                    }
                    final long offset = c == null ? Checkpoint.NONE : c.offset();
                    final boolean sameSource = c == null || c.sourceId().isEmpty() ||
                        c.sourceId().equals(named.get(i).sourceId());
                    behind = Math.min(behind, offset);
                    covered = sameSource && offset != Checkpoint.NONE && (offset >= held.last[i] ||
                        c.journalIndex() >= 0 && firstIndex <= c.journalIndex() || held.first[i] <= offset + 1);
                }
                if (!covered)
                {
                    LOG.info("the journal does not hold all of {} after its checkpoints: the source reads it again",
                        named.get(i));
                    continue;
                }
                startReplay(p, held.hi[i], held.lo[i]);
                seeks.put(p, Math.max(behind == Long.MAX_VALUE ? held.last[i] : behind, held.last[i]) + 1);
                for (int s = 0; s < bySink.size(); s++)
                {
                    final Checkpoint c = bySink.get(s) == null ? null : bySink.get(s).get(i);
                    if (c != null && c.offset() < held.last[i])
                    {
                        starts[s] = Math.min(starts[s], c.journalIndex() >= 0 ? c.journalIndex() : Journal.NULL_INDEX);
                    }
                }
                LOG.info("{} is re-delivered from the journal up to offset {}; the source resumes at {}",
                    named.get(i), held.last[i], seeks.get(p));
            }
        }
        return seeks;
    }

    /** After the first assignment placed its partitions (claims drawn, skips set): the feeds start. */
    synchronized void afterAssignment()
    {
        if (pendingStarts != null)
        {
            for (int s = 0; s < feeds.size(); s++)
            {
                feeds.get(s).start(pendingStarts[s] == Long.MAX_VALUE ? runStart : pendingStarts[s]);
            }
            pendingStarts = null;
        }
    }

    /** Starts the feeds that no assignment started (the source ended or failed first). */
    void startIdle()
    {
        for (final JournalFeed f : feeds)
        {
            f.start(runStart);
        }
    }

    /** What the journal holds of the assigned partitions, by their order: first and last offset, source id. */
    private static final class Held implements JournalReader.EntryHandler
    {
        final Map<Integer, Integer> order = new HashMap<>();
        final long[] first;
        final long[] last;
        final long[] hi;
        final long[] lo;

        Held(final List<Integer> numbers, final List<SourcePartition> named)
        {
            first = new long[numbers.size()];
            last = new long[numbers.size()];
            hi = new long[numbers.size()];
            lo = new long[numbers.size()];
            Arrays.fill(first, Long.MIN_VALUE);
            Arrays.fill(last, Long.MIN_VALUE);
            for (int i = 0; i < numbers.size(); i++)
            {
                order.put(numbers.get(i), i);
                hi[i] = JournalCodec.sourceIdHi(named.get(i).sourceId());
                lo[i] = JournalCodec.sourceIdLo(named.get(i).sourceId());
            }
        }

        @Override
        public void onEntry(final long index, final EntryHeader header, final DirectBuffer buffer, final int offset,
            final int length)
        {
            final Integer i = order.get(header.partition);
            if (i == null || header.sourceIdHi != hi[i] || header.sourceIdLo != lo[i])
            {
                return;
            }
            if (first[i] == Long.MIN_VALUE)
            {
                first[i] = header.sourceOffset;
            }
            last[i] = Math.max(last[i], header.sourceOffset);
        }
    }

    private Held scan(final long from, final List<Integer> numbers, final List<SourcePartition> named)
    {
        final Held held = new Held(numbers, named);
        try (JournalReader reader = journal.reader(from))
        {
            int n;
            while ((n = reader.read(held, 4096)) > 0 || n == JournalReader.CORRUPT && skipCorrupt(reader))
            {
                if (reader.lastReadIndex() >= runStart)
                {
                    break;
                }
            }
        }
        catch (final Exception e)
        {
            throw new IllegalStateException("reading the journal for recovery failed: " + e, e);
        }
        return held;
    }

    private static boolean skipCorrupt(final JournalReader reader)
    {
        throw new IllegalStateException("the journal holds a corrupt entry after index " + reader.lastReadIndex() +
            ": " + reader.corruption() + " (only a torn tail is repaired on open; move the journal aside to start " +
            "without it: the sinks' checkpoints then decide where the source resumes)");
    }

    private void startReplay(final int p, final long hi, final long lo)
    {
        final int n = Math.max(p + 1, replay.length);
        final long[] r = Arrays.copyOf(replay, n);
        final long[] h = Arrays.copyOf(replayHi, n);
        final long[] l = Arrays.copyOf(replayLo, n);
        r[p] = 1;
        h[p] = hi;
        l[p] = lo;
        replayHi = h;
        replayLo = l;
        replay = r; // last: a reader that sees the flag sees the ids
    }

    private void stopReplay(final int p)
    {
        if (p < replay.length && replay[p] != 0)
        {
            final long[] r = replay.clone();
            r[p] = 0;
            replay = r;
        }
    }
}

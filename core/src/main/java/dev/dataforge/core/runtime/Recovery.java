package dev.dataforge.core.runtime;

import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.CheckpointStore;
import dev.dataforge.api.source.PartitionListener;
import dev.dataforge.api.source.Source;
import dev.dataforge.api.source.SourcePartition;
import dev.dataforge.core.metrics.PipelineHealth;
import dev.dataforge.core.ring.Claims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where every assigned source partition resumes: on the source's thread, at every assignment (a start, a
 * rebalance), each sink's checkpoint store claims the partitions for this instance (raising their fencing epoch) and
 * returns their checkpoints; each partition then starts after the checkpoint of the sink furthest behind (the others
 * skip what they hold already: {@code SinkStage.recovered}), where the source's {@code start} says when no sink has
 * one, or as its {@code on_topic_reset} says when a checkpoint belongs to an earlier incarnation of it. A sink with
 * no checkpoint of a partition that others have one of (a sink added to the pipeline) starts where the furthest
 * behind of them is. A revocation releases the partitions under the claims' lock, so no commit of theirs follows it.
 * A sink without checkpoints (at least once) has no say in where a partition starts.
 */
final class Recovery implements PartitionListener
{
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /**
     * One sink as recovery sees it.
     *
     * @param name           the sink's name, for the log.
     * @param checkpointName the name its checkpoints are kept under.
     * @param store          its checkpoint store, or null when it keeps none.
     * @param recovered      told each partition's checkpoint offset in this sink, after the claims are drawn.
     */
    record Target(String name, String checkpointName, CheckpointStore store,
        java.util.function.Consumer<Map<Integer, Long>> recovered)
    {
    }

    private final Source source;
    private final List<Target> targets;
    private final Claims claims;
    private final PartitionListener observer;
    private final PipelineHealth health;
    private final JournalRecovery journal;

    /**
     * @param targets  the pipeline's sinks, in the order of their stores in {@code claims}.
     * @param observer told of assignments after recovery has placed them (tests may seek again), or null.
     * @param journal  recovery with the journal, or null without one.
     */
    Recovery(final Source source, final List<Target> targets, final Claims claims, final PartitionListener observer,
        final PipelineHealth health, final JournalRecovery journal)
    {
        this.journal = journal;
        this.health = health;
        this.source = source;
        this.targets = List.copyOf(targets);
        this.claims = claims;
        this.observer = observer;
    }

    @Override
    public void assigned(final Collection<Integer> partitions, final Seeker seeker) throws Exception
    {
        health.recoveryStarted();
        try
        {
            recover(partitions, seeker);
        }
        finally
        {
            health.recoveryEnded();
        }
        if (observer != null)
        {
            observer.assigned(partitions, seeker);
        }
    }

    private void recover(final Collection<Integer> partitions, final Seeker seeker) throws Exception
    {
        final List<Integer> numbers = new ArrayList<>(partitions);
        final List<SourcePartition> named = new ArrayList<>(numbers.size());
        for (final int p : numbers)
        {
            named.add(source.sourcePartition(p));
        }
        final int sinks = targets.size();
        final List<List<Checkpoint>> bySink = new ArrayList<>(sinks);
        for (final Target t : targets)
        {
            bySink.add(t.store() == null ? null : t.store().claim(t.checkpointName(), named));
        }
        final Map<Integer, Long> journalSeeks = journal == null ? Map.of() :
            journal.assigned(numbers, named, bySink);
        final StringBuilder where = new StringBuilder();
        final List<Map<Integer, Long>> recovered = new ArrayList<>(sinks);
        for (int s = 0; s < sinks; s++)
        {
            recovered.add(new HashMap<>());
        }
        for (int i = 0; i < numbers.size(); i++)
        {
            final int p = numbers.get(i);
            final SourcePartition at = named.get(i);
            final long[] epochs = new long[sinks];
            Checkpoint behind = null;
            Checkpoint recreated = null;
            for (int s = 0; s < sinks; s++)
            {
                final Checkpoint c = checkpoint(bySink, s, i);
                epochs[s] = c == null ? 0 : c.epoch();
                if (c == null || c.offset() == Checkpoint.NONE)
                {
                    continue;
                }
                if (!c.sourceId().isEmpty() && !at.sourceId().isEmpty() && !c.sourceId().equals(at.sourceId()))
                {
                    recreated = recreated == null ? c : recreated;
                }
                else if (behind == null || c.offset() < behind.offset())
                {
                    behind = c;
                }
            }
            claims.lock().lock();
            try
            {
                claims.own(p, epochs);
            }
            finally
            {
                claims.lock().unlock();
            }
            where.append(where.length() == 0 ? "" : ", ").append(at.source()).append('/').append(at.partition());
            if (recreated != null)
            {
                where.append(" (recreated: checkpoint of ").append(recreated.sourceId()).append(')');
                seeker.recreated(p, recreated.sourceId());
            }
            else if (behind == null)
            {
                seeker.seekToStart(p);
                where.append(" from the start");
            }
            else
            {
                final Long journaled = journalSeeks.get(p);
                seeker.seek(p, journaled != null ? journaled : behind.offset() + 1);
                where.append(" after ").append(behind.offset());
                if (journaled != null)
                {
                    where.append(" (the journal re-delivers up to ").append(journaled - 1).append(')');
                }
                for (int s = 0; s < sinks; s++)
                {
                    final Checkpoint c = checkpoint(bySink, s, i);
                    if (c != null && c.offset() != Checkpoint.NONE)
                    {
                        recovered.get(s).put(p, c.offset());
                    }
                }
            }
            appendEpochs(where, bySink, i);
        }
        LOG.info("assigned {}", where);
        for (int s = 0; s < sinks; s++)
        {
            if (!recovered.get(s).isEmpty())
            {
                targets.get(s).recovered().accept(recovered.get(s));
            }
        }
        if (journal != null)
        {
            journal.afterAssignment();
        }
    }

    /** @return sink {@code s}'s checkpoint of the {@code i}th assigned partition; null when the sink keeps none. */
    private static Checkpoint checkpoint(final List<List<Checkpoint>> bySink, final int s, final int i)
    {
        return bySink.get(s) == null ? null : bySink.get(s).get(i);
    }

    /** The epochs of partition {@code i}'s checkpoints: {@code (epoch 3)}, or per sink where there are several. */
    private void appendEpochs(final StringBuilder where, final List<List<Checkpoint>> bySink, final int i)
    {
        final StringBuilder e = new StringBuilder();
        for (int s = 0; s < bySink.size(); s++)
        {
            final Checkpoint c = checkpoint(bySink, s, i);
            if (c != null)
            {
                e.append(e.length() == 0 ? "" : ", ");
                if (bySink.size() > 1)
                {
                    e.append(targets.get(s).name()).append(' ').append(c.offset() == Checkpoint.NONE ? "none" :
                        Long.toString(c.offset())).append(' ');
                }
                e.append("epoch ").append(c.epoch());
            }
        }
        if (e.length() > 0)
        {
            where.append(" (").append(e).append(')');
        }
    }

    @Override
    public void revoked(final Collection<Integer> partitions)
    {
        if (journal != null)
        {
            journal.revoked(partitions);
        }
        claims.lock().lock();
        try
        {
            for (final int p : partitions)
            {
                claims.release(p);
            }
        }
        finally
        {
            claims.lock().unlock();
        }
        LOG.info("revoked {}", partitions);
        if (observer != null)
        {
            observer.revoked(partitions);
        }
    }
}

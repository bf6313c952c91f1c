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
 * rebalance), the sink's checkpoint store claims the partitions for this instance (raising their fencing epoch) and
 * returns their checkpoints; each partition then starts after its checkpoint, where the source's {@code start}
 * says when it has none, or as its {@code on_topic_reset} says when the checkpoint belongs to an earlier incarnation
 * of it. A revocation releases the partitions under the claims' lock, so no commit of theirs follows it. A sink
 * without checkpoints (at least once) starts every partition where {@code start} says.
 */
final class Recovery implements PartitionListener
{
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final String pipeline;
    private final Source source;
    private final CheckpointStore store;
    private final Claims claims;
    private final PartitionListener observer;
    private final PipelineHealth health;
    private final java.util.function.Consumer<Map<Integer, Long>> recoveredPositions;

    /**
     * @param store    the sink's checkpoint store, or null when it keeps none.
     * @param observer told of assignments after recovery has placed them (tests may seek again), or null.
     */
    Recovery(final String pipeline, final Source source, final CheckpointStore store, final Claims claims,
        final PartitionListener observer, final PipelineHealth health,
        final java.util.function.Consumer<Map<Integer, Long>> recoveredPositions)
    {
        this.health = health;
        this.recoveredPositions = recoveredPositions;
        this.pipeline = pipeline;
        this.source = source;
        this.store = store;
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
        final List<Checkpoint> checkpoints = store == null ? null : store.claim(pipeline, named);
        final StringBuilder where = new StringBuilder();
        final Map<Integer, Long> recovered = new HashMap<>();
        for (int i = 0; i < numbers.size(); i++)
        {
            final int p = numbers.get(i);
            final SourcePartition at = named.get(i);
            final Checkpoint c = checkpoints == null ? null : checkpoints.get(i);
            claims.lock().lock();
            try
            {
                claims.own(p, c == null ? 0 : c.epoch());
            }
            finally
            {
                claims.lock().unlock();
            }
            where.append(where.length() == 0 ? "" : ", ").append(at.source()).append('/').append(at.partition());
            if (c == null || c.offset() == Checkpoint.NONE)
            {
                seeker.seekToStart(p);
                where.append(" from the start");
            }
            else if (!c.sourceId().isEmpty() && !at.sourceId().isEmpty() && !c.sourceId().equals(at.sourceId()))
            {
                where.append(" (recreated: checkpoint of ").append(c.sourceId()).append(')');
                seeker.recreated(p, c.sourceId());
            }
            else
            {
                seeker.seek(p, c.offset() + 1);
                where.append(" after ").append(c.offset());
                recovered.put(p, c.offset());
            }
            if (c != null)
            {
                where.append(" (epoch ").append(c.epoch()).append(')');
            }
        }
        LOG.info("assigned {}", where);
        if (recoveredPositions != null && !recovered.isEmpty())
        {
            recoveredPositions.accept(recovered);
        }
    }

    @Override
    public void revoked(final Collection<Integer> partitions)
    {
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

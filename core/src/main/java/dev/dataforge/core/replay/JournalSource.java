package dev.dataforge.core.replay;

import dev.dataforge.api.source.EventPublisher;
import dev.dataforge.api.source.PartitionListener;
import dev.dataforge.api.source.Source;
import dev.dataforge.api.source.SourcePartition;
import dev.dataforge.core.delivery.JournalCodec;
import dev.dataforge.core.ring.EventSlot;
import dev.dataforge.journal.ChronicleJournal;
import dev.dataforge.journal.EntryHeader;
import dev.dataforge.journal.Journal;
import dev.dataforge.journal.JournalReader;
import dev.dataforge.journal.JournalSettings;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The journal as a source ({@link JournalSourceFactory}): entries from {@code from} to {@code to}, passing and (with
 * a sink) routed to it, each published at its source position; its partitions are those the range holds, assigned
 * at open, so recovery places each after the replaying sink's own checkpoint.
 */
final class JournalSource implements Source, JournalReader.EntryHandler
{
    /** Thrown by the handler when the ring is full: the entry stays unread for the next poll. */
    private static final class Full extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        Full()
        {
            super(null, null, false, false);
        }
    }

    private static final Full FULL = new Full();

    private final JournalSettings settings;
    private final long routeMask;
    private final JournalSourceFactory.Bound from;
    private final JournalSourceFactory.Bound to;
    private final Map<Integer, SourcePartition> partitions = new HashMap<>();
    private final Map<Integer, Long> resumeAt = new HashMap<>();
    private Journal journal;
    private JournalReader reader;
    private PartitionListener listener;
    private EventPublisher publisher;
    private long lastIndex;
    private long start;
    private boolean ended;

    private final dev.dataforge.codec.RecordLayout layout;

    JournalSource(final JournalSettings settings, final int sinkBit, final JournalSourceFactory.Bound from,
        final JournalSourceFactory.Bound to, final dev.dataforge.codec.RecordLayout layout)
    {
        this.layout = layout;
        this.settings = settings;
        this.routeMask = sinkBit < 0 ? -1L : 1L << sinkBit;
        this.from = from;
        this.to = to;
    }

    @Override
    public void open() throws Exception
    {
        journal = ChronicleJournal.openReadOnly(settings);
        final long after = after();
        lastIndex = to == null ? journal.lastIndex() : to.time() ? lastAtOrBefore(to.value()) : to.value();
        // the partitions of the range, each with its source id: assigned at once, placed by recovery
        final Map<Integer, SourcePartition> found = new TreeMap<>();
        try (JournalReader scan = journal.reader(after))
        {
            final JournalReader.EntryHandler h = (index, header, buffer, offset, length) ->
            {
                if (index <= lastIndex)
                {
                    found.computeIfAbsent(header.partition, p -> new SourcePartition(JournalSourceFactory.TYPE, p,
                        JournalCodec.sourceIdText(header.sourceIdHi, header.sourceIdLo)));
                }
            };
            while (scan.read(h, 4096) > 0 && scan.lastReadIndex() < lastIndex)
            {
                // reading
            }
        }
        partitions.putAll(found);
        if (listener != null && !found.isEmpty())
        {
            listener.assigned(new ArrayList<>(found.keySet()), new PartitionListener.Seeker()
            {
                @Override
                public void seek(final int partition, final long offset)
                {
                    resumeAt.put(partition, offset);
                }

                @Override
                public void seekToStart(final int partition)
                {
                    resumeAt.remove(partition);
                }

                @Override
                public void recreated(final int partition, final String checkpointedId)
                {
                    resumeAt.remove(partition);
                }
            });
        }
        start = after;
    }

    private long after()
    {
        if (from == null)
        {
            return Journal.NULL_INDEX;
        }
        if (!from.time())
        {
            return from.value() - 1;
        }
        final long first = journal.indexAtOrAfter(from.value());
        return first == Journal.NULL_INDEX ? Long.MAX_VALUE - 1 : first - 1;
    }

    /** @return the index of the last entry ingested at or before {@code millis}. */
    private long lastAtOrBefore(final long millis)
    {
        final long next = journal.indexAtOrAfter(millis + 1);
        return next == Journal.NULL_INDEX ? journal.lastIndex() : next - 1;
    }

    @Override
    public int poll(final EventPublisher events, final int limit) throws Exception
    {
        if (ended)
        {
            return END;
        }
        publisher = events;
        if (reader == null)
        {
            reader = journal.reader(start); // on the source's thread, which reads it
        }
        final int n;
        try
        {
            n = reader.read(this, limit);
        }
        catch (final Full full)
        {
            return 0;
        }
        if (n == JournalReader.CORRUPT)
        {
            throw new IllegalStateException("the journal has a corrupt entry after " + reader.lastReadIndex() + ": " +
                reader.corruption());
        }
        if (n <= 0 || reader.lastReadIndex() >= lastIndex)
        {
            ended = n <= 0 || reader.lastReadIndex() >= lastIndex;
        }
        return n < 0 ? END : n;
    }

    @Override
    public void onEntry(final long index, final EntryHeader header, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (index > lastIndex)
        {
            ended = true;
            throw FULL; // left unread: the range ends before it
        }
        final Long resume = resumeAt.get(header.partition);
        if (header.status != EventSlot.PASS || (header.routes & routeMask) == 0 ||
            resume != null && header.sourceOffset < resume)
        {
            return;
        }
        dev.dataforge.core.delivery.JournalCodec.checkSchema(index, header, layout);
        final int base = publisher.tryClaim(Math.max(length, publisher.slotCapacity()));
        if (base == EventPublisher.NO_SLOT)
        {
            throw FULL;
        }
        publisher.buffer().putBytes(base, buffer, offset, length);
        publisher.sourcePosition(header.partition, header.sourceOffset);
        publisher.publish();
    }

    @Override
    public boolean isBounded()
    {
        return true;
    }

    @Override
    public boolean endAtCurrentEnd()
    {
        return true;
    }

    @Override
    public String describe()
    {
        return "journal(" + settings.path() + ")";
    }

    @Override
    public void partitionListener(final PartitionListener partitionListener)
    {
        this.listener = partitionListener;
    }

    @Override
    public SourcePartition sourcePartition(final int partition)
    {
        final SourcePartition p = partitions.get(partition);
        return p != null ? p : new SourcePartition(JournalSourceFactory.TYPE, partition, "");
    }

    @Override
    public void close()
    {
        if (listener != null && !partitions.isEmpty())
        {
            listener.revoked(new ArrayList<>(partitions.keySet()));
        }
        if (reader != null)
        {
            try
            {
                reader.close();
            }
            catch (final RuntimeException e)
            {
                org.slf4j.LoggerFactory.getLogger(JournalSource.class).debug("closing the journal reader: {}",
                    e.toString());
            }
        }
        if (journal != null)
        {
            journal.close();
        }
    }
}

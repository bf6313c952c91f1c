package dev.dataforge.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.zip.CRC32C;

/**
 * A {@link JournalReader} on its own Chronicle tailer. The handler gets an {@link UnsafeBuffer} wrapped over the
 * document's mapped memory (no copy) when the entry lies in one mapped chunk, else a copy in a reusable array; and
 * the reader's reusable {@link EntryHeader}. A handler that throws rolls the document back: the tailer stays on it.
 */
final class ChronicleJournalReader implements JournalReader
{
    private final ChronicleJournal journal;
    private final ExcerptTailer tailer;
    private final EntryHeader header = new EntryHeader();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final byte[] scratch = new byte[EntryLayout.SCRATCH_LENGTH];
    private final CRC32C crc = new CRC32C();
    private byte[] copy = new byte[0];
    private volatile boolean reading;
    private volatile boolean closed;
    private long lastRead;
    private String corruption;

    ChronicleJournalReader(final ChronicleJournal journal, final ExcerptTailer tailer, final long afterIndex)
    {
        this.journal = journal;
        this.tailer = tailer;
        this.lastRead = afterIndex;
        tailer.singleThreadedCheckDisabled(true);
        position(afterIndex);
    }

    /** Puts the tailer on the first entry after {@code afterIndex} (the first entry when that is older). */
    private void position(final long afterIndex)
    {
        tailer.toStart();
        if (afterIndex == Journal.NULL_INDEX)
        {
            return;
        }
        if (tailer.moveToIndex(afterIndex))
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (dc.isPresent() && dc.index() != afterIndex)
                {
                    dc.rollbackOnClose();
                }
            }
            return;
        }
        // not an index held (older than the first, in a gap, or beyond the last): skip what is at or before it
        tailer.toStart();
        while (true)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return;
                }
                if (dc.index() > afterIndex)
                {
                    dc.rollbackOnClose();
                    return;
                }
            }
        }
    }

    @Override
    public int read(final EntryHandler handler, final int limit) throws Exception
    {
        reading = true;
        try
        {
            if (closed || journal.closed())
            {
                return CLOSED;
            }
            corruption = null;
            int n = 0;
            while (n < limit)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final long index = dc.index();
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long position = bytes.readPosition();
                    final long remaining = bytes.readRemaining();
                    if (remaining > Integer.MAX_VALUE - EntryLayout.HEADER_LENGTH)
                    {
                        dc.rollbackOnClose();
                        corruption = "entry at index " + index + " (" + Long.toHexString(index) + "): " + remaining +
                            " bytes, too long";
                        return n > 0 ? n : CORRUPT;
                    }
                    final int total = (int)remaining;
                    wrap(bytes, position, total);
                    final String why = EntryLayout.check(crc, scratch, view, 0, total);
                    if (why != null)
                    {
                        dc.rollbackOnClose();
                        corruption = "entry at index " + index + " (0x" + Long.toHexString(index) + ", " + total +
                            " bytes): " + why;
                        return n > 0 ? n : CORRUPT;
                    }
                    EntryLayout.decodeHeader(view, 0, header);
                    try
                    {
                        handler.onEntry(index, header, view, EntryLayout.HEADER_LENGTH,
                            total - EntryLayout.HEADER_LENGTH);
                    }
                    catch (final Throwable t)
                    {
                        dc.rollbackOnClose();
                        throw t;
                    }
                    lastRead = index;
                    n++;
                }
            }
            return n;
        }
        finally
        {
            reading = false;
        }
    }

    /** Points {@link #view} at the document's bytes: in place when they are in one mapping, else copied. */
    private void wrap(final Bytes<?> bytes, final long position, final int total)
    {
        final BytesStore<?, ?> store = bytes.bytesStore();
        if (store != null && store.isDirectMemory() && position >= store.start() &&
            position + total <= store.safeLimit())
        {
            view.wrap(store.addressForRead(position), total);
            return;
        }
        if (copy.length < total)
        {
            copy = new byte[Math.max(total, copy.length * 2)];
        }
        bytes.read(position, copy, 0, total);
        view.wrap(copy, 0, total);
    }

    @Override
    public long lastReadIndex()
    {
        return lastRead;
    }

    @Override
    public String corruption()
    {
        return corruption;
    }

    /** The journal closes: waits (bounded) for a read in progress on another thread, then lets the tailer go. */
    void closeTailer(final long deadlineNanos)
    {
        closed = true;
        while (reading && System.nanoTime() < deadlineNanos)
        {
            Thread.onSpinWait();
        }
        tailer.close();
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        journal.removed(this);
        if (!journal.closed())
        {
            tailer.close();
        }
    }
}

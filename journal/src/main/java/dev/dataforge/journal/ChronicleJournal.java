package dev.dataforge.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32C;

/**
 * The {@link Journal} on a Chronicle Queue: one cycle file per roll cycle, each entry one Chronicle document holding
 * the {@link EntryLayout} bytes (written and read as raw bytes, never as Wire objects: no allocation per entry).
 * <p>
 * Size: a cycle file is preallocated and sparse (80 MiB for an hourly cycle however little it holds), so its length
 * says nothing. A cycle's bytes are its write position instead: where its last document starts (Chronicle's own
 * high-water mark, the documents and the index blocks between them), and for the cycle being appended the end of the
 * last entry written. The journal's bytes are their sum; retention and back-pressure count those.
 * <p>
 * Retention deletes whole cycle files, oldest first, never the newest; after deleting it refreshes Chronicle's
 * directory listing (which is how Chronicle is told that cycles went away). Readers behind a deleted cycle are the
 * caller's mistake: {@code neededIndex} says what they need.
 * <p>
 * Sync: {@link SyncPolicy#BATCH} and {@code every N} open the queue with {@link SyncMode#SYNC} (Chronicle msyncs a
 * chunk when it lets it go) and force with {@code ExcerptAppender.sync()} (an msync of the current chunk up to the
 * write position) at {@link #flush} or every N appends.
 * <p>
 * Tail repair (on open): the last cycle's entries are read and checked. A file Chronicle cannot read (cut to a few
 * bytes: its header is gone) or whose entries stop being whole (cut in an entry: its tail reads as zeros, the checksum
 * fails) is moved aside as {@code NAME.damaged}; its whole entries first are copied, at their own indices, into a
 * fresh file for that cycle (Chronicle's replication append), so every index a reader holds still means the same
 * entry.
 */
public final class ChronicleJournal implements Journal
{
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournal.class);
    private static final String SUFFIX = SingleChronicleQueue.SUFFIX;
    /** Entries up to this size are copied straight into the mapped file (well within Chronicle's overlap). */
    private static final int DIRECT_WRITE_MAX = 64 << 10;
    /** The file a writer locks, in the journal's directory. */
    static final String LOCK_FILE = "writer.lock";

    private final JournalSettings settings;
    private final RollCycle rollCycle;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final boolean readOnly;
    /** The writer's lock on {@link #LOCK_FILE} (null read-only). */
    private final FileChannel owner;
    private final TailRepair repair;
    private final int syncEvery;
    private final Object lock = new Object();
    private final List<ChronicleJournalReader> readers = new CopyOnWriteArrayList<>();

    private final UnsafeBuffer headerScratch = new UnsafeBuffer(new byte[EntryLayout.HEADER_LENGTH]);
    private final byte[] copyScratch = new byte[EntryLayout.SCRATCH_LENGTH];
    private final CRC32C crc = new CRC32C();
    /** {@link #append}'s view of the mapped file where an entry goes, and of a direct payload buffer for the CRC. */
    private final UnsafeBuffer target = new UnsafeBuffer(0, 0);
    private ByteBuffer crcSource;
    private ByteBuffer crcView;

    private volatile boolean closed;
    private volatile boolean appending;
    /** Bytes of every cycle but the one being appended (recomputed on a roll and by {@link #retain}). */
    private volatile long olderBytes;
    /** Bytes of the cycle being appended: the end of its last entry. */
    private volatile long currentBytes;
    private int currentCycle = Integer.MIN_VALUE;
    private int sinceSync;
    private volatile long lastNeededIndex = NULL_INDEX;
    private long retriedNeededIndex = NULL_INDEX;
    /** {@link #neededBytes}: the bytes before the entry at {@link #belowNeededIndex}, and a tailer to find it. */
    private long belowNeeded;
    private long belowNeededIndex = NULL_INDEX;
    private ExcerptTailer positions;

    private ChronicleJournal(final JournalSettings settings, final RollCycle rollCycle, final TimeProvider time,
        final boolean readOnly)
    {
        this.settings = settings;
        this.rollCycle = rollCycle;
        this.readOnly = readOnly;
        if (readOnly)
        {
            if (!Files.isDirectory(settings.path()) || TailRepairs.cycleFiles(settings.path()).isEmpty())
            {
                throw new JournalException("no journal at " + settings.path() + " (no cycle files)");
            }
            this.owner = null;
            this.repair = new TailRepair(false, NULL_INDEX, "read-only: not checked");
            this.queue = builder(settings.path(), rollCycle, time).readOnly(true).build();
            this.appender = null;
        }
        else
        {
            try
            {
                Files.createDirectories(settings.path());
            }
            catch (final IOException e)
            {
                throw new JournalException("cannot create the journal directory " + settings.path() + ": " + e, e);
            }
            this.owner = own(settings.path());
            try
            {
                this.repair = TailRepairs.repair(settings.path(), rollCycle, time);
                this.queue = builder(settings.path(), rollCycle, time).syncMode(settings.sync().none() ?
                    SyncMode.NONE : SyncMode.SYNC).build();
            }
            catch (final RuntimeException e)
            {
                release(owner);
                throw e;
            }
            this.appender = queue.createAppender();
            appender.singleThreadedCheckDisabled(true);
        }
        this.syncEvery = settings.sync().everyN();
        synchronized (lock)
        {
            recountBytes();
        }
        if (repair.cut())
        {
            LOG.warn("journal {}: {}", settings.path(), repair.description());
        }
    }

    /**
     * @return the journal {@code s} describes, to append to: its directory created when missing, its tail repaired,
     * and owned by this process until closed (a second writer, here or in another process, is refused).
     */
    public static ChronicleJournal open(final JournalSettings s)
    {
        return open(s, rollCycleOf(s.rollCycle()), SystemTimeProvider.INSTANCE);
    }

    /**
     * @return the journal at {@code s.path()} to read only (inspect, replay), while a pipeline may be appending to it:
     * no tail repair (that is the writer's), no appends, no retention. A torn tail reads as a corrupt entry.
     */
    public static ChronicleJournal openReadOnly(final JournalSettings s)
    {
        return new ChronicleJournal(s, rollCycleOf(s.rollCycle()), SystemTimeProvider.INSTANCE, true);
    }

    /** For tests: any Chronicle roll cycle (a secondly one rolls quickly) and clock. */
    static ChronicleJournal open(final JournalSettings s, final RollCycle rollCycle, final TimeProvider time)
    {
        return new ChronicleJournal(s, rollCycle, time, false);
    }

    /** The writer's lock, {@code LOCK_FILE} in the directory: held while open, released by the OS when we die. */
    private static FileChannel own(final Path dir)
    {
        final Path file = dir.resolve(LOCK_FILE);
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            final FileLock held = channel.tryLock();
            if (held == null)
            {
                throw inUse(dir);
            }
            return channel;
        }
        catch (final OverlappingFileLockException e)
        {
            release(channel);
            throw inUse(dir);
        }
        catch (final IOException e)
        {
            release(channel);
            throw new JournalException("cannot lock the journal " + file + ": " + e, e);
        }
        catch (final JournalException e)
        {
            release(channel);
            throw e;
        }
    }

    private static JournalException inUse(final Path dir)
    {
        return new JournalException("the journal " + dir + " is in use: another pipeline (in this process or " +
            "another) appends to it; each pipeline instance needs a journal of its own (journal.path, e.g. " +
            "'journal-${INSTANCE}'); reading it (journal inspect, replay) needs no lock");
    }

    private static void release(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close(); // releases the lock
            }
            catch (final IOException e)
            {
                LOG.debug("closing the journal lock: {}", e.toString());
            }
        }
    }

    /** @return Chronicle's roll cycle for {@code c}: the fast (binary-searched file names) variants where there are. */
    static RollCycle rollCycleOf(final JournalRollCycle c)
    {
        return switch (c)
        {
            case MINUTELY -> LegacyRollCycles.MINUTELY;
            case HOURLY -> RollCycles.FAST_HOURLY;
            case DAILY -> RollCycles.FAST_DAILY;
        };
    }

    static SingleChronicleQueueBuilder builder(final Path path, final RollCycle rollCycle, final TimeProvider time)
    {
        return SingleChronicleQueueBuilder.binary(path).rollCycle(rollCycle).timeProvider(time);
    }

    @Override
    public long append(final EntryHeader header, final DirectBuffer buffer, final int offset, final int length)
    {
        appending = true;
        try
        {
            if (closed || readOnly)
            {
                return CLOSED;
            }
            if (olderBytes + currentBytes >= settings.retentionSizeBytes() && !freedByRetain() && overBudget())
            {
                return BACK_PRESSURED;
            }
            EntryLayout.encodeHeader(headerScratch, 0, header, length);
            crc.reset();
            crc.update(headerScratch.byteArray(), EntryLayout.LENGTH_OFFSET,
                EntryLayout.HEADER_LENGTH - EntryLayout.LENGTH_OFFSET);
            updateCrc(buffer, offset, length);
            headerScratch.putInt(EntryLayout.CRC_OFFSET, (int)crc.getValue(), java.nio.ByteOrder.LITTLE_ENDIAN);
            final int total = EntryLayout.HEADER_LENGTH + length;
            final long index;
            final long end;
            try (DocumentContext dc = appender.writingDocument())
            {
                final Bytes<?> bytes = dc.wire().bytes();
                final long at = bytes.writePosition();
                if (total <= DIRECT_WRITE_MAX && bytes.isDirectMemory() && bytes.writeRemaining() >= total)
                {
                    // one memory copy each into the mapped file: addressForWrite is contiguous for the overlap size
                    target.wrap(bytes.addressForWrite(at), total);
                    target.putBytes(0, headerScratch, 0, EntryLayout.HEADER_LENGTH);
                    target.putBytes(EntryLayout.HEADER_LENGTH, buffer, offset, length);
                    bytes.writeSkip(total);
                }
                else
                {
                    bytes.write(headerScratch.byteArray(), 0, EntryLayout.HEADER_LENGTH);
                    writePayload(bytes, buffer, offset, length);
                }
                end = bytes.writePosition();
                index = dc.index();
            }
            final int cycle = rollCycle.toCycle(index);
            if (cycle != currentCycle)
            {
                currentCycle = cycle;
                synchronized (lock)
                {
                    recountBytes();
                }
            }
            currentBytes = end;
            if (syncEvery > 0 && ++sinceSync >= syncEvery)
            {
                sinceSync = 0;
                appender.sync();
            }
            return index;
        }
        finally
        {
            appending = false;
        }
    }

    /** The payload into {@link #crc}: straight from its array or direct memory, else through the scratch copy. */
    private void updateCrc(final DirectBuffer buffer, final int offset, final int length)
    {
        final ByteBuffer direct = buffer.byteArray() == null ? buffer.byteBuffer() : null;
        if (direct != null && direct.isDirect())
        {
            if (direct != crcSource)
            {
                crcSource = direct;
                crcView = direct.duplicate(); // once per source buffer (the ring's memory: once)
            }
            final int from = (int)(buffer.addressOffset() - org.agrona.BufferUtil.address(direct)) + offset;
            crcView.limit(from + length).position(from);
            crc.update(crcView);
            return;
        }
        EntryLayout.update(crc, copyScratch, buffer, offset, length);
    }

    private void writePayload(final Bytes<?> bytes, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            bytes.write(array, (int)buffer.wrapAdjustment() + offset, length);
            return;
        }
        int done = 0;
        while (done < length)
        {
            final int n = Math.min(copyScratch.length, length - done);
            buffer.getBytes(offset + done, copyScratch, 0, n);
            bytes.write(copyScratch, 0, n);
            done += n;
        }
    }

    /** Back-pressured: retention may free space when a reader has moved on since the last try. */
    private boolean freedByRetain()
    {
        final long needed = lastNeededIndex;
        if (needed == retriedNeededIndex)
        {
            return false;
        }
        retriedNeededIndex = needed;
        retain(needed);
        return olderBytes + currentBytes < settings.retentionSizeBytes();
    }

    /**
     * Over the budget and nothing to delete: appends wait only when the bytes some reader still needs (from the entry
     * at the needed index to the end) fill the budget. Bytes every reader is past but that retention cannot delete
     * yet (they share the newest cycle, which is never deleted) do not hold appends back: the disk then holds more
     * than {@code retention.size} until the cycle rolls and retention deletes it.
     */
    private boolean overBudget()
    {
        synchronized (lock)
        {
            return closed || neededBytes() >= settings.retentionSizeBytes();
        }
    }

    /** @return the bytes from the entry at the oldest needed index to the end. Under {@link #lock}. */
    private long neededBytes()
    {
        final long needed = lastNeededIndex;
        final long total = olderBytes + currentBytes;
        if (needed < 0)
        {
            return total; // no reader has said what it needs: all of it
        }
        if (needed > queue.lastIndex())
        {
            return 0;
        }
        if (needed != belowNeededIndex)
        {
            final int neededCycle = rollCycle.toCycle(needed);
            long below = 0;
            for (final long c : cycles())
            {
                if (c >= neededCycle)
                {
                    break;
                }
                below += cycleBytes((int)c);
            }
            if (positions == null)
            {
                positions = queue.createTailer();
                positions.singleThreadedCheckDisabled(true);
            }
            // in the needed cycle, the entries before the needed one (its header and first index block stay)
            below += positionOf(needed) - positionOf(rollCycle.toIndex(neededCycle, 0));
            belowNeeded = below;
            belowNeededIndex = needed;
        }
        return total - belowNeeded;
    }

    /** @return where the entry at {@code index} starts in its cycle file; 0 when there is none. */
    private long positionOf(final long index)
    {
        if (!positions.moveToIndex(index))
        {
            return 0;
        }
        try (DocumentContext dc = positions.readingDocument())
        {
            if (!dc.isPresent())
            {
                return 0;
            }
            dc.rollbackOnClose();
            return dc.wire().bytes().readPosition();
        }
    }

    @Override
    public void flush()
    {
        if (settings.sync().batch() && !closed && !readOnly)
        {
            appending = true;
            try
            {
                if (!closed)
                {
                    appender.sync();
                }
            }
            finally
            {
                appending = false;
            }
        }
    }

    @Override
    public JournalReader reader(final long afterIndex)
    {
        if (closed)
        {
            throw new JournalException("journal " + settings.path() + " is closed");
        }
        final ChronicleJournalReader r = new ChronicleJournalReader(this, queue.createTailer(), afterIndex);
        readers.add(r);
        return r;
    }

    void removed(final ChronicleJournalReader r)
    {
        readers.remove(r);
    }

    boolean closed()
    {
        return closed;
    }

    @Override
    public long firstIndex()
    {
        synchronized (lock)
        {
            if (closed)
            {
                return NULL_INDEX;
            }
            try (ExcerptTailer t = queue.createTailer())
            {
                return peekIndex(t.toStart());
            }
        }
    }

    @Override
    public long lastIndex()
    {
        synchronized (lock)
        {
            if (closed || firstIndex() == NULL_INDEX)
            {
                return NULL_INDEX;
            }
            final long last = queue.lastIndex();
            return last < 0 ? NULL_INDEX : last;
        }
    }

    private static long peekIndex(final ExcerptTailer t)
    {
        try (DocumentContext dc = t.readingDocument())
        {
            if (!dc.isPresent())
            {
                return NULL_INDEX;
            }
            dc.rollbackOnClose();
            return dc.index();
        }
    }

    /** @return the ingest time of the entry at {@code index}, or {@link Long#MIN_VALUE} when there is none. */
    private long ingestAt(final ExcerptTailer t, final long index, final EntryHeader h, final UnsafeBuffer view)
    {
        if (!t.moveToIndex(index))
        {
            return Long.MIN_VALUE;
        }
        try (DocumentContext dc = t.readingDocument())
        {
            if (!dc.isPresent())
            {
                return Long.MIN_VALUE;
            }
            final Bytes<?> b = dc.wire().bytes();
            if (b.readRemaining() < EntryLayout.HEADER_LENGTH)
            {
                return Long.MIN_VALUE;
            }
            view.wrap(b.addressForRead(b.readPosition()), EntryLayout.HEADER_LENGTH);
            EntryLayout.decodeHeader(view, 0, h);
            return h.ingestTimeMillis;
        }
    }

    @Override
    public long indexAtOrAfter(final long epochMillis)
    {
        synchronized (lock)
        {
            if (closed)
            {
                return NULL_INDEX;
            }
            final EntryHeader h = new EntryHeader();
            final UnsafeBuffer view = new UnsafeBuffer(0, 0);
            try (ExcerptTailer t = queue.createTailer())
            {
                for (final long c : cycles())
                {
                    final int cycle = (int)c;
                    final long count = t.excerptsInCycle(cycle);
                    if (count <= 0 || ingestAt(t, rollCycle.toIndex(cycle, count - 1), h, view) < epochMillis)
                    {
                        continue;
                    }
                    long lo = 0;
                    long hi = count - 1; // the answer is in [lo, hi]: the last entry qualifies
                    while (lo < hi)
                    {
                        final long mid = (lo + hi) >>> 1;
                        if (ingestAt(t, rollCycle.toIndex(cycle, mid), h, view) >= epochMillis)
                        {
                            hi = mid;
                        }
                        else
                        {
                            lo = mid + 1;
                        }
                    }
                    return rollCycle.toIndex(cycle, lo);
                }
                return NULL_INDEX;
            }
        }
    }

    private NavigableSet<Long> cycles()
    {
        queue.refreshDirectoryListing();
        final int first = queue.firstCycle();
        final int last = queue.lastCycle();
        return first > last ? new java.util.TreeSet<>() : queue.listCyclesBetween(first, last);
    }

    /** Recounts {@link #olderBytes} from the cycles' write positions. Under {@link #lock}. */
    private void recountBytes()
    {
        long older = 0;
        long current = 0;
        final int newest = queue.lastCycle();
        for (final long c : cycles())
        {
            final long b = cycleBytes((int)c);
            if (c == newest)
            {
                current = b;
            }
            else
            {
                older += b;
            }
        }
        olderBytes = older;
        belowNeededIndex = NULL_INDEX; // cycles came or went: count again
        if (currentBytes < current)
        {
            currentBytes = current;
        }
    }

    private long cycleBytes(final int cycle)
    {
        final SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null)
        {
            return 0;
        }
        try
        {
            return store.writePosition();
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    private File cycleFile(final int cycle)
    {
        final SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null)
        {
            return null;
        }
        try
        {
            return store.file();
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    @Override
    public int retain(final long neededIndex)
    {
        synchronized (lock)
        {
            if (closed || readOnly)
            {
                return 0;
            }
            if (neededIndex > lastNeededIndex)
            {
                lastNeededIndex = neededIndex;
            }
            if (neededIndex < 0)
            {
                return 0;
            }
            final int neededCycle = neededIndex == Long.MAX_VALUE ? Integer.MAX_VALUE : rollCycle.toCycle(neededIndex);
            final int newest = queue.lastCycle();
            final long now = queue.time().currentTimeMillis();
            final long keepAfter = settings.retentionTime() == null ? Long.MIN_VALUE :
                now - settings.retentionTime().toMillis();
            long total = olderBytes + currentBytes;
            int deleted = 0;
            for (final long c : cycles())
            {
                final int cycle = (int)c;
                if (cycle >= newest || cycle >= neededCycle)
                {
                    break;
                }
                final long cycleEnd = queue.epoch() + (cycle + 1L) * rollCycle.lengthInMillis();
                if (!(cycleEnd <= keepAfter || total >= settings.retentionSizeBytes()))
                {
                    break;
                }
                final long bytes = cycleBytes(cycle);
                final File file = cycleFile(cycle);
                try
                {
                    if (file != null && Files.deleteIfExists(file.toPath()))
                    {
                        deleted++;
                        total -= bytes;
                    }
                }
                catch (final IOException e)
                {
                    throw new JournalException("cannot delete the journal cycle " + file + ": " + e, e);
                }
            }
            if (deleted > 0)
            {
                queue.refreshDirectoryListing();
                recountBytes();
                LOG.debug("journal {}: retention deleted {} cycles below index {}", settings.path(), deleted,
                    neededIndex);
            }
            return deleted;
        }
    }

    @Override
    public JournalStats stats()
    {
        synchronized (lock)
        {
            if (closed)
            {
                return new JournalStats(0, 0, 0, NULL_INDEX, NULL_INDEX, 0, 0);
            }
            final int cycles = cycles().size();
            final long first = firstIndex();
            final long last = lastIndex();
            long firstIngest = 0;
            long lastIngest = 0;
            long entries = 0;
            if (first != NULL_INDEX)
            {
                final EntryHeader h = new EntryHeader();
                final UnsafeBuffer view = new UnsafeBuffer(0, 0);
                try (ExcerptTailer t = queue.createTailer())
                {
                    firstIngest = Math.max(0, ingestAt(t, first, h, view));
                    lastIngest = Math.max(0, ingestAt(t, last, h, view));
                }
                entries = queue.entryCount();
            }
            return new JournalStats(olderBytes + currentBytes, cycles, entries, first, last, firstIngest,
                lastIngest);
        }
    }

    @Override
    public TailRepair tailRepair()
    {
        return repair;
    }

    @Override
    public void close()
    {
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        // outside the lock: an append in progress may take it (a roll recounts the bytes) and must be let finish
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (appending && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        synchronized (lock)
        {
            for (final ChronicleJournalReader r : new ArrayList<>(readers))
            {
                r.closeTailer(deadline);
            }
            readers.clear();
            if (positions != null)
            {
                positions.close();
            }
            if (appender != null)
            {
                appender.close();
            }
            queue.close();
            release(owner);
        }
    }

    Path path()
    {
        return settings.path();
    }

    static String suffix()
    {
        return SUFFIX;
    }
}

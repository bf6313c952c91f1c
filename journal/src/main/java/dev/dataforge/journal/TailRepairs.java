package dev.dataforge.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.InternalAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Checks the last cycle file of a journal before it opens, and cuts a torn tail.
 * <p>
 * What Chronicle does with a damaged last file: cut inside an entry, it maps the file back to its preallocated length
 * and reads the entry's tail as zeros (the document header survived, so Chronicle calls it whole; only the entry's
 * checksum tells). Cut to a few bytes (its header gone), it throws {@code StreamCorruptedException} ("The first message
 * should be the header") on any tailer that reaches the cycle. Neither can be cut in place (Chronicle has no way to
 * drop a document), so a damaged file is moved aside as {@code NAME.damaged} and its whole entries, those before the
 * first bad one, are rewritten at their own indices into a fresh file of the same cycle (Chronicle's replication
 * append, {@link InternalAppender#writeBytes(long, net.openhft.chronicle.bytes.BytesStore)}).
 */
final class TailRepairs
{
    private static final String DAMAGED = ".damaged";

    private TailRepairs()
    {
    }

    /** What a scan of the last cycle found. */
    private record Scan(int cycle, long whole, long lastWhole, long badIndex, String why)
    {
        boolean clean()
        {
            return why == null;
        }
    }

    static TailRepair repair(final Path dir, final RollCycle rollCycle, final TimeProvider time)
    {
        final List<Path> files = cycleFiles(dir);
        if (files.isEmpty())
        {
            return new TailRepair(false, Journal.NULL_INDEX, "clean");
        }
        final Path last = files.get(files.size() - 1);
        final Path scratch = dir.resolve("repair.tmp");
        final Scan scan;
        try (SingleChronicleQueue q = ChronicleJournal.builder(dir, rollCycle, time).build())
        {
            scan = scan(q);
            if (scan.clean())
            {
                final long lastIndex = q.lastIndex();
                return new TailRepair(false, lastIndex < 0 ? Journal.NULL_INDEX : lastIndex, "clean");
            }
            deleteTree(scratch);
            if (scan.whole() > 0)
            {
                salvage(q, scan, scratch, rollCycle, time);
            }
        }
        final Path aside = aside(last);
        try
        {
            Files.move(last, aside);
            if (scan.whole() > 0)
            {
                Files.move(scratch.resolve(last.getFileName()), last, StandardCopyOption.ATOMIC_MOVE);
            }
            deleteTree(scratch);
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot move the damaged journal cycle " + last + " aside: " + e, e);
        }
        final long lastIndex;
        try (SingleChronicleQueue q = ChronicleJournal.builder(dir, rollCycle, time).build())
        {
            q.refreshDirectoryListing();
            final long l = q.lastIndex();
            lastIndex = l < 0 ? Journal.NULL_INDEX : l;
        }
        final String bad = scan.badIndex() == Journal.NULL_INDEX ? "" : " at index " + scan.badIndex() + " (0x" +
            Long.toHexString(scan.badIndex()) + ")";
        return new TailRepair(true, lastIndex, "cycle file " + last.getFileName() + " is damaged" + bad + ": " +
            scan.why() + "; its " + scan.whole() + " whole entries were kept, the file moved aside as " +
            aside.getFileName() + "; last whole entry now " + lastIndex);
    }

    /**
     * Reads the last cycle's entries, checking each. Bad entries followed by a whole one are not a torn tail (a
     * reader reports them as corrupt); bad entries after the last whole one are, and {@code whole} counts the
     * documents to keep.
     */
    private static Scan scan(final SingleChronicleQueue q)
    {
        final int cycle = q.lastCycle();
        final CRC32C crc = new CRC32C();
        final byte[] scratch = new byte[EntryLayout.SCRATCH_LENGTH];
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        byte[] copy = new byte[0];
        long documents = 0;
        long whole = 0;
        long lastWhole = Journal.NULL_INDEX;
        long badIndex = Journal.NULL_INDEX;
        String why = null;
        try (ExcerptTailer t = q.createTailer())
        {
            if (!t.moveToCycle(cycle))
            {
                return new Scan(cycle, 0, Journal.NULL_INDEX, Journal.NULL_INDEX, null);
            }
            while (true)
            {
                try (DocumentContext dc = t.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return new Scan(cycle, whole, lastWhole, badIndex, why);
                    }
                    documents++;
                    final Bytes<?> b = dc.wire().bytes();
                    final int total = (int)Math.min(Integer.MAX_VALUE, b.readRemaining());
                    if (copy.length < total)
                    {
                        copy = new byte[total];
                    }
                    b.read(b.readPosition(), copy, 0, total);
                    view.wrap(copy, 0, total);
                    final String bad = EntryLayout.check(crc, scratch, view, 0, total);
                    if (bad == null)
                    {
                        whole = documents;
                        lastWhole = dc.index();
                        badIndex = Journal.NULL_INDEX;
                        why = null;
                    }
                    else if (why == null)
                    {
                        badIndex = dc.index();
                        why = bad;
                    }
                }
            }
        }
        catch (final Exception e)
        {
            // Chronicle throws StreamCorruptedException (undeclared) on a file whose header is gone
            return new Scan(cycle, whole, lastWhole, badIndex, "Chronicle cannot read it (" + e + ")");
        }
    }

    /** Writes the scanned cycle's whole entries, at their indices, into a fresh queue in {@code scratch}. */
    private static void salvage(final SingleChronicleQueue q, final Scan scan, final Path scratch,
        final RollCycle rollCycle, final TimeProvider time)
    {
        try (SingleChronicleQueue fresh = ChronicleJournal.builder(scratch, rollCycle, time).build();
            ExcerptAppender appender = fresh.createAppender();
            ExcerptTailer t = q.createTailer())
        {
            final InternalAppender internal = (InternalAppender)appender;
            t.moveToCycle(scan.cycle());
            for (long i = 0; i < scan.whole(); i++)
            {
                try (DocumentContext dc = t.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        throw new JournalException("journal repair: entry " + i + " of cycle " + scan.cycle() +
                            " vanished while copying it");
                    }
                    internal.writeBytes(dc.index(), dc.wire().bytes());
                }
            }
        }
    }

    private static Path aside(final Path file)
    {
        Path p = file.resolveSibling(file.getFileName() + DAMAGED);
        for (int i = 1; Files.exists(p); i++)
        {
            p = file.resolveSibling(file.getFileName() + DAMAGED + "." + i);
        }
        return p;
    }

    static List<Path> cycleFiles(final Path dir)
    {
        try (Stream<Path> s = Files.list(dir))
        {
            return s.filter(p -> p.getFileName().toString().endsWith(ChronicleJournal.suffix())).sorted().toList();
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot list the journal directory " + dir + ": " + e, e);
        }
    }

    private static void deleteTree(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> s = Files.walk(dir))
        {
            for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot delete the journal's repair directory " + dir + ": " + e, e);
        }
    }
}

package dev.dataforge.journal;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The Chronicle journal on real files: round trips, readers, retention, time lookup, torn tails and SIGKILL. */
class ChronicleJournalTest
{
    private static final RollCycle SECONDLY = TestRollCycles.TEST_SECONDLY;
    private static final long START = 1_800_000_000_000L;

    @TempDir
    Path dir;

    /** Fills header and payload for entry {@code i}: every field and byte derived from {@code i}. */
    static void fill(final EntryHeader h, final UnsafeBuffer payload, final long i)
    {
        h.status = (int)(i % 3);
        h.flags = (int)(i * 7);
        h.schemaId = 11;
        h.schemaVersion = (int)(i % 5);
        h.sourceIdHi = i * 31;
        h.sourceIdLo = ~i;
        h.partition = (int)(i % 13);
        h.sourceOffset = i * 1000;
        h.ingestTimeMillis = START + i;
        h.routes = 1L << (i % 64);
        h.tag = -i;
        h.pollNanos = i * 17;
        for (int b = 0; b < payload.capacity(); b++)
        {
            payload.putByte(b, (byte)(i + b));
        }
    }

    static void check(final long i, final EntryHeader h, final DirectBuffer buffer, final int offset,
        final int length, final int expectedLength)
    {
        assertEquals(expectedLength, length, "length of entry " + i);
        assertEquals((int)(i % 3), h.status);
        assertEquals((int)(i * 7), h.flags);
        assertEquals(11, h.schemaId);
        assertEquals((int)(i % 5), h.schemaVersion);
        assertEquals(i * 31, h.sourceIdHi);
        assertEquals(~i, h.sourceIdLo);
        assertEquals((int)(i % 13), h.partition);
        assertEquals(i * 1000, h.sourceOffset);
        assertEquals(START + i, h.ingestTimeMillis);
        assertEquals(1L << (i % 64), h.routes);
        assertEquals(-i, h.tag);
        assertEquals(i * 17, h.pollNanos);
        for (int b = 0; b < length; b++)
        {
            if (buffer.getByte(offset + b) != (byte)(i + b))
            {
                fail("entry " + i + " byte " + b);
            }
        }
    }

    private static int sizeOf(final long i)
    {
        return i % 97 == 0 ? 65536 : (int)((i * 37) % 1500);
    }

    private static long[] appendAll(final Journal j, final int n, final int fixedSize)
    {
        final EntryHeader h = new EntryHeader();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[65536]);
        final long[] indices = new long[n];
        for (int i = 0; i < n; i++)
        {
            fill(h, payload, i);
            indices[i] = j.append(h, payload, 0, fixedSize >= 0 ? fixedSize : sizeOf(i));
            assertTrue(indices[i] >= 0, "append " + i + ": " + indices[i]);
        }
        return indices;
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Reads everything there is now; checks the payload length against {@code sizes} by entry number. */
    private static List<Long> readAll(final JournalReader r, final int fixedSize) throws Exception
    {
        final List<Long> read = new ArrayList<>();
        while (true)
        {
            final int n = r.read((index, h, buffer, offset, length) ->
            {
                final long i = h.sourceOffset / 1000;
                check(i, h, buffer, offset, length, fixedSize >= 0 ? fixedSize : sizeOf(i));
                read.add(index);
            }, 100);
            assertTrue(n >= 0, "read: " + n + " " + r.corruption());
            if (n == 0)
            {
                return read;
            }
        }
    }

    private JournalSettings settings()
    {
        return JournalSettings.of(dir.resolve("journal"));
    }

    @Test
    void roundTripOfVariedSizes() throws Exception
    {
        try (ChronicleJournal j = ChronicleJournal.open(settings()))
        {
            assertEquals(Journal.NULL_INDEX, j.firstIndex());
            assertEquals(Journal.NULL_INDEX, j.lastIndex());
            final long[] indices = appendAll(j, 2000, -1);
            for (int i = 1; i < indices.length; i++)
            {
                assertTrue(indices[i] > indices[i - 1]);
            }
            assertEquals(indices[0], j.firstIndex());
            assertEquals(indices[indices.length - 1], j.lastIndex());
            try (JournalReader r = j.reader(Journal.NULL_INDEX))
            {
                assertEquals(Journal.NULL_INDEX, r.lastReadIndex());
                final List<Long> read = readAll(r, -1);
                assertEquals(indices.length, read.size());
                for (int i = 0; i < indices.length; i++)
                {
                    assertEquals(indices[i], read.get(i));
                }
                assertEquals(indices[indices.length - 1], r.lastReadIndex());
            }
            final JournalStats s = j.stats();
            assertEquals(2000, s.entries());
            assertEquals(1, s.cycles());
            assertEquals(indices[0], s.firstIndex());
            assertEquals(START, s.firstIngestMillis());
            assertEquals(START + 1999, s.lastIngestMillis());
            assertTrue(s.bytes() > 2000L * EntryLayout.HEADER_LENGTH && s.bytes() < 8L << 20, "bytes " + s.bytes());
            assertFalse(j.tailRepair().cut());
        }
    }

    @Test
    void twoConcurrentReadersSeeEveryEntryOnceInOrder() throws Exception
    {
        final int n = 20_000;
        try (ChronicleJournal j = ChronicleJournal.open(settings()))
        {
            final List<Thread> threads = new ArrayList<>();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final long[][] seen = new long[2][n];
            for (int t = 0; t < 2; t++)
            {
                final int reader = t;
                final JournalReader r = j.reader(Journal.NULL_INDEX);
                final Thread thread = new Thread(() ->
                {
                    final int[] count = {0};
                    try
                    {
                        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (count[0] < n && System.nanoTime() < deadline)
                        {
                            r.read((index, h, buffer, offset, length) ->
                            {
                                check(h.sourceOffset / 1000, h, buffer, offset, length, 200);
                                assertEquals(count[0], h.sourceOffset / 1000);
                                seen[reader][count[0]++] = index;
                            }, 64);
                        }
                        assertEquals(n, count[0]);
                        assertEquals(0, r.read((index, h, buffer, offset, length) -> fail("extra entry"), 10));
                    }
                    catch (final Throwable e)
                    {
                        failure.compareAndSet(null, e);
                    }
                }, "reader-" + t);
                thread.start();
                threads.add(thread);
            }
            final long[] indices = appendAll(j, n, 200);
            for (final Thread t : threads)
            {
                t.join(60_000);
            }
            if (failure.get() != null)
            {
                throw new AssertionError(failure.get());
            }
            for (int t = 0; t < 2; t++)
            {
                for (int i = 0; i < n; i++)
                {
                    assertEquals(indices[i], seen[t][i]);
                }
            }
        }
    }

    @Test
    void readerAfterAnIndexAndAThrowingHandler() throws Exception
    {
        try (ChronicleJournal j = ChronicleJournal.open(settings()))
        {
            final long[] indices = appendAll(j, 100, 50);
            try (JournalReader r = j.reader(indices[41]))
            {
                assertEquals(indices[41], r.lastReadIndex());
                final long[] got = new long[1];
                assertEquals(1, r.read((index, h, b, o, l) -> got[0] = index, 1));
                assertEquals(indices[42], got[0]);
                assertThrows(IllegalStateException.class, () -> r.read((index, h, b, o, l) ->
                {
                    throw new IllegalStateException("sink down");
                }, 10));
                assertEquals(indices[42], r.lastReadIndex());
                assertEquals(1, r.read((index, h, b, o, l) -> got[0] = index, 1));
                assertEquals(indices[43], got[0], "the entry whose handler threw is read again");
                final List<Long> rest = readAll(r, 50);
                assertEquals(56, rest.size());
            }
            try (JournalReader r = j.reader(indices[99]))
            {
                assertEquals(0, r.read((index, h, b, o, l) -> fail("nothing after the last"), 10));
            }
            try (JournalReader r = j.reader(0))
            {
                assertEquals(100, readAll(r, 50).size(), "an index before the first reads from the first");
            }
        }
    }

    @Test
    void indexAtOrAfter() throws Exception
    {
        final SetTimeProvider time = new SetTimeProvider(START);
        try (ChronicleJournal j = ChronicleJournal.open(settings(), SECONDLY, time))
        {
            assertEquals(Journal.NULL_INDEX, j.indexAtOrAfter(START));
            final EntryHeader h = new EntryHeader();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[10]);
            final long[] indices = new long[300];
            for (int i = 0; i < 300; i++)
            {
                if (i % 100 == 0)
                {
                    time.advanceMillis(1000);
                }
                fill(h, payload, i);
                h.ingestTimeMillis = START + 2L * i;
                indices[i] = j.append(h, payload, 0, 10);
            }
            assertEquals(3, j.stats().cycles());
            assertEquals(indices[0], j.indexAtOrAfter(0));
            assertEquals(indices[0], j.indexAtOrAfter(START));
            assertEquals(indices[51], j.indexAtOrAfter(START + 101));
            assertEquals(indices[100], j.indexAtOrAfter(START + 199));
            assertEquals(indices[100], j.indexAtOrAfter(START + 200));
            assertEquals(indices[299], j.indexAtOrAfter(START + 598));
            assertEquals(Journal.NULL_INDEX, j.indexAtOrAfter(START + 599));
        }
    }

    @Test
    void retentionDeletesOnlyCyclesBelowTheNeededIndex() throws Exception
    {
        final SetTimeProvider time = new SetTimeProvider(START);
        final JournalSettings s = settings().withRetentionTime(Duration.ofSeconds(2));
        try (ChronicleJournal j = ChronicleJournal.open(s, SECONDLY, time))
        {
            final EntryHeader h = new EntryHeader();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
            final long[] indices = new long[100];
            for (int i = 0; i < 100; i++)
            {
                if (i % 10 == 0)
                {
                    time.advanceMillis(1000);
                }
                fill(h, payload, i);
                indices[i] = j.append(h, payload, 0, 100);
            }
            assertEquals(10, j.stats().cycles());
            final JournalReader r = j.reader(Journal.NULL_INDEX);
            assertEquals(0, j.retain(Journal.NULL_INDEX));
            assertEquals(0, j.retain(indices[0]));
            assertEquals(3, j.retain(indices[35]), "cycles 0..2 are wholly below entry 35; cycle 3 holds it");
            assertEquals(indices[30], j.firstIndex());
            assertEquals(7, j.stats().cycles());
            assertEquals(70, j.stats().entries());
            // cycles older than 2 s: all but the last two; the newest is never deleted even when unneeded
            // now: the end of cycle 9; older than 2 s: cycles ending by then, 3..6
            assertEquals(4, j.retain(Long.MAX_VALUE));
            assertEquals(indices[70], j.firstIndex());
            time.advanceMillis(10_000);
            assertEquals(2, j.retain(Long.MAX_VALUE));
            assertEquals(indices[90], j.firstIndex());
            assertEquals(indices[99], j.lastIndex());
            // a reader that was at the start goes on from the oldest entry held
            r.close();
            try (JournalReader r2 = j.reader(Journal.NULL_INDEX))
            {
                assertEquals(10, readAll(r2, 100).size());
            }
        }
    }

    @Test
    void aFullJournalBackPressuresUntilRetainFreesSpace() throws Exception
    {
        final SetTimeProvider time = new SetTimeProvider(START);
        final long budget = 6_000_000; // a secondly test cycle's index alone takes ~540 KB
        final JournalSettings s = settings().withRetentionTime(null).withRetentionSize(budget);
        try (ChronicleJournal j = ChronicleJournal.open(s, SECONDLY, time))
        {
            final EntryHeader h = new EntryHeader();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[16_000]);
            final List<Long> indices = new ArrayList<>();
            long pressured = 0;
            for (int i = 0; i < 10_000 && pressured == 0; i++)
            {
                if (i % 50 == 0)
                {
                    time.advanceMillis(1000);
                }
                fill(h, payload, i);
                final long index = j.append(h, payload, 0, 16_000);
                if (index == Journal.BACK_PRESSURED)
                {
                    pressured = i;
                }
                else
                {
                    indices.add(index);
                }
            }
            assertTrue(pressured > 0, "back-pressured at some point");
            final int cyclesBefore = j.stats().cycles();
            assertTrue(cyclesBefore >= 3, "cycles " + cyclesBefore);
            assertTrue(j.stats().bytes() >= budget);
            final long lastBefore = j.lastIndex();
            assertEquals(0, j.retain(indices.get(0)), "the first entry is needed: nothing goes");
            assertEquals(Journal.BACK_PRESSURED, j.append(h, payload, 0, 16_000));
            assertEquals(lastBefore, j.lastIndex(), "nothing was written while back-pressured");
            final long needed = indices.get(120);
            final int deleted = j.retain(needed);
            assertTrue(deleted >= 1, "deleted " + deleted);
            assertTrue(j.firstIndex() <= needed, "entry 120 is still held");
            assertTrue(j.stats().bytes() < budget);
            assertTrue(j.append(h, payload, 0, 16_000) >= 0, "appends resume");
            try (JournalReader r = j.reader(needed - 1))
            {
                final long[] first = {Journal.NULL_INDEX};
                assertEquals(1, r.read((index, hh, b, o, l) -> first[0] = index, 1));
                assertEquals(needed, first[0]);
            }
        }
    }

    /**
     * The budget counts what a reader still needs: entries every reader is past do not hold appends back even when
     * they share the newest cycle, which retention cannot delete yet (at a high rate one cycle may hold more than the
     * whole budget).
     */
    @Test
    void entriesEveryReaderIsPastDoNotBackPressureInTheNewestCycle() throws Exception
    {
        final SetTimeProvider time = new SetTimeProvider(START);
        final long budget = 3_000_000;
        final JournalSettings s = settings().withRetentionTime(null).withRetentionSize(budget);
        try (ChronicleJournal j = ChronicleJournal.open(s, SECONDLY, time))
        {
            final EntryHeader h = new EntryHeader();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[16_000]);
            final List<Long> indices = new ArrayList<>();
            int i = 0;
            for (long index = 0; index != Journal.BACK_PRESSURED; i++)
            {
                fill(h, payload, i);
                index = j.append(h, payload, 0, 16_000);
                if (index >= 0)
                {
                    indices.add(index);
                }
                assertTrue(i < 10_000, "no reader said what it needs: the budget holds");
            }
            assertEquals(1, j.stats().cycles(), "one cycle, the clock stands still");
            final int first = indices.size();
            assertEquals(0, j.retain(j.lastIndex() + 1), "the newest cycle is never deleted");
            for (int k = 0; k < first; k++) // every reader is past all of it: another budget's worth goes in
            {
                fill(h, payload, i++);
                final long index = j.append(h, payload, 0, 16_000);
                assertTrue(index >= 0, "append " + k + " after the readers moved on: " + index);
                indices.add(index);
            }
            assertTrue(j.stats().bytes() > budget * 3 / 2, "beyond the budget: " + j.stats().bytes());
            final long needed = indices.get(first);
            assertEquals(0, j.retain(needed));
            int more = 0;
            for (long index = 0; index != Journal.BACK_PRESSURED; more++)
            {
                fill(h, payload, i++);
                index = j.append(h, payload, 0, 16_000);
                assertTrue(more < 10_000, "a reader needs entries from " + needed + ": the budget holds");
            }
            final long neededEntries = indices.size() - first + more - 1;
            // as many as filled the budget at first (the cycle's header and index block count both times)
            assertTrue(Math.abs(neededEntries - first) <= 2, "back-pressured when what the reader needs fills " +
                "the budget: " + neededEntries + " entries needed, " + first + " filled it at first");
            try (JournalReader r = j.reader(needed - 1))
            {
                final long[] at = {Journal.NULL_INDEX};
                assertEquals(1, r.read((index, hh, b, o, l) -> at[0] = index, 1));
                assertEquals(needed, at[0], "what the reader needs is held");
            }
        }
    }

    /**
     * One writer per journal: a second is refused, naming the directory; a reader opens read-only beside the writer
     * (no tail repair, which could take the writer's last entry for a torn one) and sees what it appended.
     */
    @Test
    void oneWriterAtATimeAndReadersBesideIt() throws Exception
    {
        try (ChronicleJournal j = ChronicleJournal.open(settings()))
        {
            final long[] indices = appendAll(j, 100, 200);
            final JournalException e = assertThrows(JournalException.class, () -> ChronicleJournal.open(settings()));
            assertTrue(e.getMessage().contains("is in use") && e.getMessage().contains(settings().path().toString()),
                e.getMessage());
            try (ChronicleJournal reader = ChronicleJournal.openReadOnly(settings());
                JournalReader r = reader.reader(Journal.NULL_INDEX))
            {
                assertEquals(100, readAll(r, 200).size());
                assertEquals(Journal.CLOSED, reader.append(new EntryHeader(), new UnsafeBuffer(new byte[8]), 0, 8));
                assertEquals(indices[99], reader.lastIndex());
            }
            appendAll(j, 10, 200); // the reader's close left the writer alone
            assertEquals(110, j.stats().entries());
        }
        try (ChronicleJournal again = ChronicleJournal.open(settings())) // closed: the lock is released
        {
            assertEquals(110, again.stats().entries());
        }
        final JournalException missing = assertThrows(JournalException.class,
            () -> ChronicleJournal.openReadOnly(JournalSettings.of(dir.resolve("nothing"))));
        assertTrue(missing.getMessage().contains("no journal at"), missing.getMessage());
    }

    @Test
    void tornTailCutInsideTheLastEntry() throws Exception
    {
        final long[] indices;
        try (ChronicleJournal j = ChronicleJournal.open(settings()))
        {
            indices = appendAll(j, 500, 300);
        }
        final Path file = TailRepairs.cycleFiles(settings().path()).get(0);
        truncate(file, dataEnd(file) - 100);
        reopenAndCheck(indices, 499, indices[498]);
    }

    @Test
    void tornTailCutToAFewBytes() throws Exception
    {
        final SetTimeProvider time = new SetTimeProvider(START);
        final long[] indices = new long[300];
        try (ChronicleJournal j = ChronicleJournal.open(settings(), SECONDLY, time))
        {
            final EntryHeader h = new EntryHeader();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[300]);
            for (int i = 0; i < 300; i++)
            {
                if (i % 100 == 0)
                {
                    time.advanceMillis(1000);
                }
                fill(h, payload, i);
                indices[i] = j.append(h, payload, 0, 300);
            }
        }
        final List<Path> files = TailRepairs.cycleFiles(settings().path());
        assertEquals(3, files.size());
        truncate(files.get(2), 10);
        try (ChronicleJournal j = ChronicleJournal.open(settings(), SECONDLY, time))
        {
            assertTrue(j.tailRepair().cut(), j.tailRepair().toString());
            assertEquals(indices[199], j.tailRepair().lastIndex());
            assertTrue(Files.exists(files.get(2).resolveSibling(files.get(2).getFileName() + ".damaged")));
            try (JournalReader r = j.reader(Journal.NULL_INDEX))
            {
                assertEquals(200, readAll(r, 300).size());
                appendMoreAndRead(j, r);
            }
        }
    }

    private void reopenAndCheck(final long[] indices, final int whole, final long lastWhole) throws Exception
    {
        try (ChronicleJournal j = ChronicleJournal.open(settings()))
        {
            final TailRepair repair = j.tailRepair();
            assertTrue(repair.cut(), repair.toString());
            assertEquals(lastWhole, repair.lastIndex(), repair.description());
            assertEquals(lastWhole, j.lastIndex());
            try (JournalReader r = j.reader(Journal.NULL_INDEX))
            {
                final List<Long> read = readAll(r, 300);
                assertEquals(whole, read.size());
                for (int i = 0; i < whole; i++)
                {
                    assertEquals(indices[i], read.get(i));
                }
                appendMoreAndRead(j, r);
            }
        }
        try (ChronicleJournal j = ChronicleJournal.open(settings()))
        {
            assertFalse(j.tailRepair().cut(), "the repaired journal opens clean: " + j.tailRepair());
        }
    }

    private static void appendMoreAndRead(final Journal j, final JournalReader r) throws Exception
    {
        final EntryHeader h = new EntryHeader();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[300]);
        final long before = j.lastIndex();
        for (int i = 1000; i < 1010; i++)
        {
            fill(h, payload, i);
            final long index = j.append(h, payload, 0, 300);
            assertTrue(index > before, "append after repair: " + index);
        }
        assertEquals(10, readAll(r, 300).size());
    }

    private static long dataEnd(final Path file) throws Exception
    {
        final byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0)
        {
            end--;
        }
        return end;
    }

    private static void truncate(final Path file, final long size) throws Exception
    {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            ch.truncate(size);
        }
    }

    @Test
    void sigkillLosesNoPrintedEntrySyncNone() throws Exception
    {
        crash("none");
    }

    @Test
    void sigkillLosesNoPrintedEntrySyncBatch() throws Exception
    {
        crash("batch");
    }

    @Test
    void sigkillLosesNoPrintedEntrySyncEvery1000() throws Exception
    {
        crash("every 1000");
    }

    private void crash(final String sync) throws Exception
    {
        final Path path = settings().path();
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (a.startsWith("--add-") || a.startsWith("-Dchronicle") || a.startsWith("--enable-native") ||
                a.startsWith("--sun-misc"))
            {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashAppender.class.getName());
        cmd.add(path.toString());
        cmd.add(sync);
        final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final List<Long> printed = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
            StandardCharsets.US_ASCII)))
        {
            String line;
            while (printed.size() < 20_000 && (line = in.readLine()) != null)
            {
                printed.add(Long.parseLong(line.trim()));
            }
            p.destroyForcibly(); // SIGKILL; it closes our end of the pipe too, what it printed since is not counted
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(printed.size() >= 20_000, "the child printed " + printed.size());
        try (ChronicleJournal j = ChronicleJournal.open(JournalSettings.of(path)))
        {
            try (JournalReader r = j.reader(Journal.NULL_INDEX))
            {
                final List<Long> read = new ArrayList<>();
                while (true)
                {
                    final int n = r.read((index, h, buffer, offset, length) ->
                    {
                        final long i = h.sourceOffset / 1000;
                        assertEquals(read.size(), i);
                        check(i, h, buffer, offset, length, (int)(i % 300));
                        read.add(index);
                    }, 1000);
                    assertTrue(n >= 0, "read: " + r.corruption() + "; repair: " + j.tailRepair());
                    if (n == 0)
                    {
                        break;
                    }
                }
                assertTrue(read.size() >= printed.size(), "read " + read.size() + " of " + printed.size());
                for (int i = 0; i < printed.size(); i++)
                {
                    assertEquals(printed.get(i), read.get(i));
                }
                appendMoreAndRead(j, r);
            }
        }
    }

    @Test
    void closeIsIdempotentAndEndsAppendsAndReads() throws Exception
    {
        final ChronicleJournal j = ChronicleJournal.open(settings());
        appendAll(j, 10, 10);
        final JournalReader r = j.reader(Journal.NULL_INDEX);
        j.close();
        j.close();
        assertEquals(Journal.CLOSED, j.append(new EntryHeader(), new UnsafeBuffer(new byte[1]), 0, 1));
        assertEquals(JournalReader.CLOSED, r.read((index, h, b, o, l) -> fail("read after close"), 10));
        r.close();
        assertNull(r.corruption());
    }

    @Test
    void aCorruptEntryIsReported() throws Exception
    {
        final long[] indices;
        try (ChronicleJournal j = ChronicleJournal.open(settings()))
        {
            indices = appendAll(j, 20, 300);
        }
        final Path file = TailRepairs.cycleFiles(settings().path()).get(0);
        final byte[] bytes = Files.readAllBytes(file);
        // entry 10's header has source offset 10000 then ingest time START + 10: find them, flip a payload byte
        final java.nio.ByteBuffer needle = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        needle.putLong(10_000).putLong(START + 10);
        final int at = indexOf(bytes, needle.array()) - EntryLayout.SOURCE_OFFSET_OFFSET;
        assertTrue(at > 0);
        final int flip = at + EntryLayout.HEADER_LENGTH + 5;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte)~bytes[flip]}), flip);
        }
        // not the tail: opening leaves it (entries after it are whole), a reader reports it
        try (ChronicleJournal j = ChronicleJournal.open(settings()))
        {
            try (JournalReader r = j.reader(Journal.NULL_INDEX))
            {
                assertEquals(10, r.read((index, h, b, o, l) -> { }, 100));
                assertEquals(JournalReader.CORRUPT, r.read((index, h, b, o, l) -> { }, 100));
                assertNotNull(r.corruption());
                assertTrue(r.corruption().contains(Long.toString(indices[10])), r.corruption());
                assertEquals(indices[9], r.lastReadIndex());
            }
        }
    }

    private static int indexOf(final byte[] hay, final byte[] needle)
    {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++)
        {
            for (int k = 0; k < needle.length; k++)
            {
                if (hay[i + k] != needle[k])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void syncPoliciesParse()
    {
        assertTrue(SyncPolicy.parse("none").none());
        assertTrue(SyncPolicy.parse(" Batch ").batch());
        assertEquals(1000, SyncPolicy.parse("every 1000").everyN());
        assertEquals("every 5", SyncPolicy.parse("EVERY 5").toString());
        assertThrows(IllegalArgumentException.class, () -> SyncPolicy.parse("every 0"));
        assertThrows(IllegalArgumentException.class, () -> SyncPolicy.parse("every x"));
        assertThrows(IllegalArgumentException.class, () -> SyncPolicy.parse("always"));
        assertThrows(IllegalArgumentException.class, () -> SyncPolicy.every(-1));
        assertEquals(JournalRollCycle.DAILY, JournalRollCycle.parse("daily"));
        assertThrows(IllegalArgumentException.class, () -> JournalRollCycle.parse("weekly"));
    }
}

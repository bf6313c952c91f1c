package dev.dataforge.perf;

import dev.dataforge.journal.ChronicleJournal;
import dev.dataforge.journal.EntryHeader;
import dev.dataforge.journal.Journal;
import dev.dataforge.journal.JournalSettings;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Appending one entry (the header and a 200-byte payload from a direct buffer) to the Chronicle journal, sync none,
 * in a fresh temporary directory. 0 B/op expected: the header, checksum and copy reuse the journal's own buffers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true"})
public class JournalAppendBenchmark
{
    private static final int PAYLOAD = 200;

    private final EntryHeader header = new EntryHeader();
    private final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(PAYLOAD));
    private Path dir;
    private Journal journal;
    private long next;

    @Setup
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("journal-bench");
        journal = ChronicleJournal.open(JournalSettings.of(dir));
        for (int i = 0; i < PAYLOAD; i++)
        {
            payload.putByte(i, (byte)i);
        }
        header.schemaId = 1;
        header.schemaVersion = 1;
        header.routes = 1;
    }

    @Benchmark
    public long append()
    {
        header.sourceOffset = next++;
        header.ingestTimeMillis = next;
        return journal.append(header, payload, 0, PAYLOAD);
    }

    @TearDown
    public void tearDown() throws IOException
    {
        journal.close();
        try (Stream<Path> s = Files.walk(dir))
        {
            for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }
}

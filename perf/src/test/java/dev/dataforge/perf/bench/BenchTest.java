package dev.dataforge.perf.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchTest
{
    private static final Path PIPELINE = Path.of("pipelines/generator-filter-enrich-blackhole.yaml");

    @Test
    void badCommandLinesSayWhatIsWrong()
    {
        assertEquals("unknown option '--fast'", assertThrows(IllegalArgumentException.class,
            () -> Bench.Options.parse(new String[] {"--fast"})).getMessage());
        assertEquals("--out needs a value", assertThrows(IllegalArgumentException.class,
            () -> Bench.Options.parse(new String[] {"--out"})).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bench.Options.parse(
            new String[] {"--pipeline", "no/such.yaml"})).getMessage().startsWith("--pipeline: no file "));
        assertEquals("--p99 'fast': a duration such as 500us, 1ms or 2s", assertThrows(
            IllegalArgumentException.class, () -> Bench.Options.parse(new String[] {"--pipeline",
            PIPELINE.toString(), "--p99", "fast"})).getMessage());
        assertEquals(500_000, Bench.Options.nanos("500us"));
        assertEquals(1_500_000_000L, Bench.Options.nanos("1.5s"));
        final Bench.Options o = Bench.Options.parse(new String[] {"--quick", "--pipeline", PIPELINE.toString(),
            "--p99", "2ms", "--no-kafka", "--out", "x"});
        assertEquals(new Bench.Options(true, PIPELINE, Path.of("x"), 2_000_000, false), o);
    }

    @Test
    void gcPausesAreSeenAndConcurrentCyclesAreNot() throws Exception
    {
        try (GcPauses gc = new GcPauses())
        {
            final long from = System.nanoTime();
            System.gc(); // a full collection: a pause with every collector this build runs on
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (gc.pauses(from, System.nanoTime()).isEmpty() && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(10_000_000);
            }
            final List<GcPauses.Gc> pauses = gc.pauses(from, System.nanoTime());
            assertFalse(pauses.isEmpty(), "no pause seen after System.gc()");
            assertEquals("System.gc()", pauses.get(pauses.size() - 1).cause());
        }
        assertFalse(new GcPauses.Gc(0, 5, "G1 Concurrent GC", "end of concurrent GC pause", "x").pause());
        assertFalse(new GcPauses.Gc(0, 5, "ZGC Cycles", "end of GC cycle", "x").pause());
        assertTrue(new GcPauses.Gc(0, 5, "G1 Young Generation", "end of minor GC", "x").pause());
    }

    @Test
    void threadAllocationIsCountedPerThreadPrefix() throws Exception
    {
        final byte[][] keep = new byte[1][];
        final long[] before = new long[1];
        final long[] after = new long[1];
        final Thread t = new Thread(() ->
        {
            before[0] = HotThreads.allocated("bench-test-allocator")[0];
            keep[0] = new byte[4 << 20];
            after[0] = HotThreads.allocated("bench-test-allocator")[0];
        }, "bench-test-allocator");
        t.start();
        t.join();
        assertTrue(after[0] - before[0] >= 4 << 20, "4 MiB allocated, counted " + (after[0] - before[0]));
        assertEquals(4 << 20, keep[0].length);
    }

    /** A short run of both engines at a rate, and the report they make: real runs, the real report. */
    @Test
    void bothEnginesRunAtARateAndTheReportIsSelfContained(@TempDir final Path dir) throws Exception
    {
        try (GcPauses gc = new GcPauses())
        {
            final Figures df = DataForgeRun.run(PIPELINE, 100_000, 200_000, gc);
            final Figures peer = QueuePeer.run(PIPELINE, 100_000, 200_000, gc);
            for (final Figures f : List.of(df, peer))
            {
                assertEquals(200_000, f.events());
                // about 40% of the generator's events pass the filter, and each passing one has a latency
                final long passed = f.endToEnd().getTotalCount();
                assertTrue(passed > 60_000 && passed < 100_000, f.engine() + ": " + passed + " latencies");
                assertTrue(f.bytesPerEvent() >= 0, f.engine() + ": " + f.bytesPerEvent());
                assertTrue(f.steadySeconds() > 0);
            }
            assertEquals(List.of("process stage, per event", "sink stage, per event", "sink commit"),
                List.copyOf(df.stages().keySet()));
            final Path html = dir.resolve("report.html");
            Html.write(html, new Html.Report("./run.sh bench --test", Machine.describe(), "now", 0.1, 1_000_000,
                List.of(df, peer), List.of(df, peer), null, 100_000, new double[] {100, 3, 150, 1}, "note",
                List.of("a note")));
            Html.hgrm(dir.resolve("hgrm"), List.of(df, peer));
            final String page = Files.readString(html);
            assertFalse(Pattern.compile("(src|href)\\s*=\\s*['\"]?(https?:|//)").matcher(page).find(),
                "a reference outside the file");
            assertFalse(page.contains("<script"));
            final Matcher svg = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(page);
            int svgs = 0;
            while (svg.find())
            {
                final Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.group().getBytes(StandardCharsets.UTF_8)));
                assertEquals("svg", d.getDocumentElement().getTagName());
                svgs++;
            }
            assertEquals(3, svgs, "sweep, by rate, and the one rate's stages and peer");
            assertTrue(page.contains("1.50</td>"), "the Kafka ratio of throughput, 150 / 100");
            assertTrue(Files.readString(dir.resolve("hgrm/dataforge-100000eps-e2e.hgrm"))
                .contains("#[Mean"), "an HdrHistogram percentile distribution");
            assertTrue(Files.exists(dir.resolve("hgrm/threads-arrayblockingqueue-100000eps-e2e.hgrm")));
            assertEquals(Map.of(), peer.stages());
        }
    }
}

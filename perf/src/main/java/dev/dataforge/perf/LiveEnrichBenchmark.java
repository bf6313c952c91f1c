package dev.dataforge.perf;

import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.lookup.LookupRows;
import dev.dataforge.api.lookup.LookupSource;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.codec.sbe.MessageHeaderEncoder;
import dev.dataforge.codec.sbe.UserEventEncoder;
import dev.dataforge.core.builtin.FileLookupFactory;
import dev.dataforge.core.processing.lookup.LiveEnricher;
import dev.dataforge.core.processing.lookup.LiveLookup;
import dev.dataforge.core.processing.lookup.LookupTable;
import dev.dataforge.core.processing.lookup.LookupTableBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@link EnrichBenchmark} while the lookup changes: a background thread swaps in a new version of the table (built
 * from two alternating sets of rows) as fast as it can rebuild one, as a live lookup's refresh thread does. The
 * benchmark thread reads the current version once per event. JMH's {@code -prof gc} counts every thread's
 * allocation (the rebuilds allocate), so the benchmark thread's own allocation per operation is printed after each
 * iteration from the JVM's per-thread counter: 0 B/op expected.
 *
 * <pre>java -jar perf/target/benchmarks.jar LiveEnrichBenchmark -p rows=1000000</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class LiveEnrichBenchmark
{
    @Param({"1000", "1000000"})
    public int rows;

    private final UnsafeBuffer slot = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
    private LiveEnricher enricher;
    private UserEventEncoder encoder;
    private long[] keys;
    private int next;
    private Thread refresher;
    private volatile boolean stop;
    private LiveLookup lookup;
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private long allocatedAtStart;
    private long ops;

    @Setup
    public void setUp() throws Exception
    {
        final LookupRows a = rows("free");
        final LookupRows b = rows("plus");
        final LookupTable table = LookupTableBuilder.buildLive("profiles", a);
        final boolean[] flip = {false};
        lookup = new LiveLookup("profiles", new LookupSource()
        {
            @Override
            public LookupRows initial()
            {
                return a;
            }

            @Override
            public boolean live()
            {
                return true;
            }

            @Override
            public LookupRows next(final Duration wait)
            {
                flip[0] = !flip[0];
                return flip[0] ? b : a;
            }
        }, table, Long.MAX_VALUE);
        final RecordLayout layout = SbeLayouts.userEvent();
        enricher = new LiveEnricher(table, layout.field("user_id"), List.of(), "", layout);
        lookup.add(enricher);
        encoder = new UserEventEncoder().wrapAndApplyHeader(slot, 0, new MessageHeaderEncoder());
        keys = new long[4096];
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = 1 + random.nextLong((long)(rows * 1.04));
        }
        refresher = new Thread(() ->
        {
            while (!stop)
            {
                try
                {
                    lookup.refresh(Duration.ZERO);
                }
                catch (final Exception e)
                {
                    throw new IllegalStateException(e);
                }
            }
        }, "refresher");
        refresher.setDaemon(true);
        refresher.start();
    }

    private LookupRows rows(final String tier) throws Exception
    {
        final Path csv = Files.createTempFile("profiles", ".csv");
        final StringBuilder sb = new StringBuilder("user_id,tier,country,lifetime_value\n");
        for (int i = 1; i <= rows; i++)
        {
            sb.append(i).append(',').append(tier).append(",DE,").append(i % 1000).append(".50\n");
        }
        Files.writeString(csv, sb);
        final FileLookupFactory factory = new FileLookupFactory();
        final LookupRows r = factory.load("profiles", ConfigValues.defaults(factory.spec(),
            Map.of("path", csv.toString(), "key", "user_id")), csv.getParent());
        Files.delete(csv);
        return r;
    }

    @Setup(Level.Iteration)
    public void startCounting()
    {
        allocatedAtStart = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        ops = 0;
    }

    @TearDown(Level.Iteration)
    public void report()
    {
        final long bytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocatedAtStart;
        System.out.printf("%n  benchmark thread: %d bytes over %,d ops (%.4f B/op); versions swapped in so far: %d%n",
            bytes, ops, (double)bytes / Math.max(1, ops), lookup.refreshes());
    }

    @TearDown
    public void tearDown() throws InterruptedException
    {
        stop = true;
        refresher.join();
    }

    @Benchmark
    public boolean enrich()
    {
        ops++;
        encoder.userId(keys[next++ & (keys.length - 1)]);
        return enricher.current().enrich(slot, 0);
    }
}

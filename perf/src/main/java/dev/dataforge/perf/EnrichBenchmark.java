package dev.dataforge.perf;

import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.codec.sbe.MessageHeaderEncoder;
import dev.dataforge.codec.sbe.UserEventEncoder;
import dev.dataforge.core.builtin.FileLookupFactory;
import dev.dataforge.core.processing.lookup.Enricher;
import dev.dataforge.core.processing.lookup.LookupTable;
import dev.dataforge.core.processing.lookup.LookupTableBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One enrich lookup per operation: read the key from the slot, probe the table, copy the row image into the slot
 * (or the NULL image on a miss). Keys cycle through {@code rows * 1.04} ids, so about 4% miss. 0 B/op expected.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class EnrichBenchmark
{
    @Param({"1000", "1000000"})
    public int rows;

    private final UnsafeBuffer slot = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
    private Enricher enricher;
    private UserEventEncoder encoder;
    private long[] keys;
    private int next;

    @Setup
    public void setUp() throws Exception
    {
        final Path csv = Files.createTempFile("profiles", ".csv");
        final StringBuilder sb = new StringBuilder("user_id,tier,country,lifetime_value\n");
        final String[] tiers = {"free", "plus", "pro", "enterprise"};
        for (int i = 1; i <= rows; i++)
        {
            sb.append(i).append(',').append(tiers[i % 4]).append(",DE,").append(i % 1000).append(".50\n");
        }
        Files.writeString(csv, sb);
        final FileLookupFactory factory = new FileLookupFactory();
        final LookupTable table = LookupTableBuilder.build("profiles", factory.load("profiles",
            ConfigValues.defaults(factory.spec(), Map.of("path", csv.toString(), "key", "user_id")), csv.getParent()));
        Files.delete(csv);
        final RecordLayout layout = SbeLayouts.userEvent();
        enricher = table.bind(layout.field("user_id"), List.of(), "", layout);
        encoder = new UserEventEncoder().wrapAndApplyHeader(slot, 0, new MessageHeaderEncoder());
        keys = new long[4096];
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = 1 + random.nextLong((long)(rows * 1.04));
        }
    }

    @Benchmark
    public boolean enrich()
    {
        encoder.userId(keys[next++ & (keys.length - 1)]);
        return enricher.enrich(slot, 0);
    }
}

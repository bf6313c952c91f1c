package dev.dataforge.perf;

import dev.dataforge.codec.JsonTranscoder;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * JSON to SBE slot transcoding of a ~200-byte user event with the byte-level scanner: one record per operation,
 * 0 B/op expected. 1 / (ns/op) is records per second per core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class JsonTranscodeBenchmark
{
    private final UnsafeBuffer slot = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
    private JsonTranscoder transcoder;
    private byte[][] records;
    private int next;

    @Setup
    public void setUp()
    {
        final RecordLayout layout = SbeLayouts.userEvent();
        transcoder = new JsonTranscoder(layout, Set.of("event_id", "event_time"));
        records = new byte[64][];
        final String[] types = {"view", "click", "purchase", "signup"};
        for (int i = 0; i < records.length; i++)
        {
            records[i] = ("{\"event_id\":" + (1_000_000 + i) + ",\"event_time\":\"2026-01-01T00:00:0" + (i % 10) +
                ".123456Z\",\"user_id\":" + (i * 37) + ",\"session_id\":" + (i * 101) + ",\"type\":\"" +
                types[i % 4] + "\",\"page\":\"/product/" + i + "\",\"amount\":" + (i % 4 == 2 ? (i * 3) + ".99" :
                "null") + ",\"currency\":" + (i % 4 == 2 ? "\"EUR\"" : "null") + "}").getBytes(StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public int transcode()
    {
        final byte[] json = records[next++ & 63];
        return transcoder.transcode(json, 0, json.length, slot, 0);
    }
}

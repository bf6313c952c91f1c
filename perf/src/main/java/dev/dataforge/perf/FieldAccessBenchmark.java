package dev.dataforge.perf;

import dev.dataforge.codec.Field;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.codec.sbe.MessageHeaderEncoder;
import dev.dataforge.codec.sbe.UserEventDecoder;
import dev.dataforge.codec.sbe.UserEventEncoder;
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
import java.util.concurrent.TimeUnit;

/**
 * Reading event fields through layout accessors (offsets resolved from the SBE IR at load time) against the
 * generated SBE decoder reading the same slot. Both should be a few nanoseconds and 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class FieldAccessBenchmark
{
    private final UnsafeBuffer slot = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
    private final UserEventDecoder decoder = new UserEventDecoder();
    private final byte[] click = "click".getBytes(StandardCharsets.UTF_8);
    private Field userId;
    private Field amount;
    private Field type;

    @Setup
    public void setUp()
    {
        final RecordLayout layout = SbeLayouts.userEvent();
        userId = layout.field("user_id");
        amount = layout.field("amount");
        type = layout.field("type");
        final UserEventEncoder e = new UserEventEncoder().wrapAndApplyHeader(slot, 0, new MessageHeaderEncoder());
        e.eventId(1).eventTime(2).userId(12345).sessionId(3).type("click").page("/home").currency("EUR");
        e.amount().mantissa(1999);
    }

    @Benchmark
    public long layoutReadLong()
    {
        return userId.getLong(slot, 0);
    }

    @Benchmark
    public double layoutReadDecimal()
    {
        return amount.getDouble(slot, 0);
    }

    @Benchmark
    public boolean layoutStringEquals()
    {
        return type.stringEquals(slot, 0, click);
    }

    @Benchmark
    public long sbeDecoderReadLong()
    {
        return decoder.wrap(slot, 8, UserEventEncoder.BLOCK_LENGTH, UserEventEncoder.SCHEMA_VERSION).userId();
    }
}

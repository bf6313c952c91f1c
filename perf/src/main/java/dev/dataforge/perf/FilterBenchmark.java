package dev.dataforge.perf;

import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.codec.sbe.Decimal2Encoder;
import dev.dataforge.codec.sbe.MessageHeaderEncoder;
import dev.dataforge.codec.sbe.UserEventEncoder;
import dev.dataforge.core.expr.Condition;
import dev.dataforge.core.expr.ExpressionCompiler;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Evaluating compiled filter conditions against 1,024 preencoded events in slots (varied types, users, amounts,
 * NULLs), one event per operation. 0 B/op expected for every condition.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class FilterBenchmark
{
    private static final int EVENTS = 1024;

    @Param({
        "event.type IN ('click', 'purchase')",
        "event.amount > 100 AND event.currency = 'EUR'",
        "event.page LIKE '/product%' OR event.user_id BETWEEN 100 AND 200",
        "(event.amount * 2 + 1) / 3 > 50.5 AND event.session_id IS NOT NULL AND NOT event.type = 'view'"
    })
    public String condition;

    private final UnsafeBuffer slots = new UnsafeBuffer(ByteBuffer.allocateDirect(EVENTS * 384));
    private Condition compiled;
    private int next;

    @Setup
    public void setUp()
    {
        final RecordLayout layout = SbeLayouts.userEvent();
        compiled = ExpressionCompiler.compileCondition(condition, layout);
        final UserEventEncoder e = new UserEventEncoder();
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final String[] types = {"view", "click", "purchase", "signup"};
        final String[] pages = {"/home", "/product/42", "/cart", "/search"};
        final String[] currencies = {"EUR", "USD", "GBP"};
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < EVENTS; i++)
        {
            e.wrapAndApplyHeader(slots, i * 384, header);
            e.eventId(i).eventTime(i).userId(random.nextInt(500)).type(types[random.nextInt(4)])
                .page(pages[random.nextInt(4)]).currency(currencies[random.nextInt(3)]);
            e.sessionId(random.nextInt(10) == 0 ? UserEventEncoder.sessionIdNullValue() : i);
            e.amount().mantissa(random.nextInt(10) == 0 ? Decimal2Encoder.mantissaNullValue() : random.nextInt(50000));
        }
    }

    @Benchmark
    public boolean evaluate()
    {
        final int base = (next++ & (EVENTS - 1)) * 384;
        return compiled.test(slots, base);
    }
}

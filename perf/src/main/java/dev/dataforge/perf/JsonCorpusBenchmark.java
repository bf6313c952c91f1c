package dev.dataforge.perf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.dataforge.codec.JsonSchema;
import dev.dataforge.codec.JsonTranscoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Our JSON transcoder against Jackson's streaming parser on real, nested JSON: the {@link WebhookCorpus} (329
 * GitHub webhook payloads, median ~8 KB). One operation is one pass over the whole corpus, every record once, the
 * same bytes for both sides:
 * <ul>
 * <li>{@code jackson}: one reused {@link JsonFactory}, a parser per record, {@code nextToken()} to the end; only the
 * token count goes to the Blackhole (no value is materialised).</li>
 * <li>{@code dataforge}: {@link JsonTranscoder} with the layout {@link JsonSchema#infer} makes of the corpus, into
 * one preallocated direct slot: top-level scalars into their fields, strings unescaped into the variable data, and
 * every nested object and array validated (strict RFC 8259) and copied whole into a json field. Every byte is
 * validated on both sides.</li>
 * </ul>
 * <b>MB/s</b> (MB = 10<sup>6</sup> bytes of corpus JSON) is the secondary result {@code :megabytes}, a rate in
 * "ops/s" that is megabytes per second; equally, MB/s = ops/s &times; the corpus size that {@code @Setup} prints.
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per pass over the corpus: divide by the
 * record count for B/record.
 * <p>
 * The corpus is found by {@link WebhookCorpus#locate()}: {@code -Ddataforge.corpus=...} (to a forked run, through
 * {@code -jvmArgsPrepend}), else {@code perf/target/corpus/...} from the repository root, which is where
 * {@code perf/run.sh} runs JMH: {@code perf/run.sh jmh JsonCorpus}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class JsonCorpusBenchmark
{
    /** Room in the slot: far more than any inferred layout's record. */
    private static final int SLOT_BYTES = 2 << 20;

    private final UnsafeBuffer slot = new UnsafeBuffer(ByteBuffer.allocateDirect(SLOT_BYTES));
    private final JsonFactory factory = new JsonFactory();
    private byte[][] records;
    private double corpusMegabytes;
    private JsonTranscoder transcoder;

    /** Megabytes of corpus JSON processed, reported by JMH as a rate: MB/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes
    {
        /** Corpus megabytes processed in this iteration. */
        public double megabytes;

        /** Counts from zero in every iteration. */
        @Setup(Level.Iteration)
        public void reset()
        {
            megabytes = 0;
        }
    }

    /**
     * Loads the corpus, infers its schema and checks that every record transcodes, so that neither side measures
     * an error path.
     *
     * @throws IllegalStateException when a record does not transcode.
     */
    @Setup
    public void setUp()
    {
        final Path index = WebhookCorpus.locate();
        final List<byte[]> corpus = WebhookCorpus.load(index);
        records = corpus.toArray(new byte[0][]);
        long bytes = 0;
        for (final byte[] r : records)
        {
            bytes += r.length;
        }
        corpusMegabytes = bytes / 1e6;
        final JsonSchema schema = JsonSchema.infer("Webhook", corpus);
        if (schema.layout().recordLength() > SLOT_BYTES)
        {
            throw new IllegalStateException("inferred record of " + schema.layout().recordLength() + " bytes does " +
                "not fit the " + SLOT_BYTES + "-byte slot");
        }
        transcoder = new JsonTranscoder(schema.layout(), schema.required());
        for (int i = 0; i < records.length; i++)
        {
            if (transcode(records[i]) != JsonTranscoder.OK)
            {
                throw new IllegalStateException("corpus record " + i + " does not transcode: " + transcoder.error());
            }
        }
        System.out.printf("%ncorpus %s: %d records, %d bytes (%.3f MB); inferred %d fields (%d required), " +
            "%d left out%n", index, records.length, bytes, corpusMegabytes, schema.layout().fields().size(),
            schema.required().size(), schema.notes().size());
    }

    /** Jackson's streaming parser: every token of every record, nothing materialised. */
    @Benchmark
    public void jackson(final Blackhole bh, final Bytes counters) throws IOException
    {
        for (final byte[] r : records)
        {
            int tokens = 0;
            try (JsonParser parser = factory.createParser(r, 0, r.length))
            {
                while (parser.nextToken() != null)
                {
                    tokens++;
                }
            }
            bh.consume(tokens);
        }
        counters.megabytes += corpusMegabytes;
    }

    /** Our transcoder: every record into the slot with the inferred layout. */
    @Benchmark
    public void dataforge(final Blackhole bh, final Bytes counters)
    {
        for (final byte[] r : records)
        {
            bh.consume(transcode(r));
        }
        counters.megabytes += corpusMegabytes;
    }

    /** The one call of the transcoder (a capacity argument, should it come, goes here). */
    private int transcode(final byte[] json)
    {
        return transcoder.transcode(json, 0, json.length, slot, 0);
    }
}

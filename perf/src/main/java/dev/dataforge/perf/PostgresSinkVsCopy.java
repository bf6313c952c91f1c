package dev.dataforge.perf;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.sink.SinkFactory;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.core.pipeline.Connectors;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.agrona.concurrent.UnsafeBuffer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rows/s committed into a real PostgreSQL by the {@code postgres} sink against a bare COPY of the same rows, side by
 * side in one run (alternating, medians of the runs):
 * <pre>
 *   sink:      N generated events → PostgresSink.append → commit every B rows (COPY to staging, INSERT ... SELECT
 *              ON CONFLICT, checkpoint upsert, one transaction)
 *   bare COPY: the same rows, already encoded as COPY text → COPY into a plain table, one transaction per B rows,
 *              and again into a table like the sink's (primary key event_id)
 * </pre>
 * Usage: {@code PostgresSinkVsCopy [rows] [batch] [runs]}.
 */
public final class PostgresSinkVsCopy
{
    private PostgresSinkVsCopy()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int rows = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        final int batch = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        final int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        final RecordLayout layout = SbeLayouts.userEvent();
        final int size = layout.recordLength();
        final UnsafeBuffer events = SinkBench.generate(rows, layout);
        final byte[][] copyBatches = encodeForCopy(events, rows, batch, size);
        try (EmbeddedPostgres pg = EmbeddedPostgres.start())
        {
            final String url = pg.getJdbcUrl("postgres", "postgres");
            final List<Double> sinkRates = new ArrayList<>();
            final List<Double> copyRates = new ArrayList<>();
            final List<Double> keyedRates = new ArrayList<>();
            for (int run = 0; run <= runs; run++)
            {
                reset(pg);
                final double sink = sinkRun(url, layout, events, rows, batch, size);
                final double copy = copyRun(pg, copyBatches, rows, "bench_copy");
                final double keyed = copyRun(pg, copyBatches, rows, "bench_copy_keyed");
                System.out.printf(Locale.ROOT, "%s: sink %,.0f rows/s, bare COPY %,.0f rows/s (ratio %.2f), bare " +
                    "COPY into the same keyed table %,.0f rows/s (ratio %.2f)%n", run == 0 ? "warm-up" : "run " + run,
                    sink, copy, sink / copy, keyed, sink / keyed);
                if (run > 0)
                {
                    sinkRates.add(sink);
                    copyRates.add(copy);
                    keyedRates.add(keyed);
                }
            }
            final double s = SinkBench.median(sinkRates);
            final double c = SinkBench.median(copyRates);
            final double k = SinkBench.median(keyedRates);
            System.out.printf(Locale.ROOT, "median: sink %,.0f rows/s; bare COPY %,.0f rows/s (ratio %.2f); bare COPY " +
                "into the same keyed table %,.0f rows/s (ratio %.2f); %,d rows, batches of %,d%n", s, c, s / c, k,
                s / k, rows, batch);
        }
    }

    private static byte[][] encodeForCopy(final UnsafeBuffer events, final int rows, final int batch, final int size)
    {
        final List<Field> fields = SbeLayouts.userEvent().fields();
        final List<byte[]> out = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++)
        {
            sb.setLength(0);
            for (int f = 0; f < fields.size(); f++)
            {
                final Field field = fields.get(f);
                sb.append(f == 0 ? "" : "\t");
                if (field.isNull(events, i * size))
                {
                    sb.append("\\N");
                }
                else if (field.type() == FieldType.STRING)
                {
                    sb.append(field.getString(events, i * size));
                }
                else if (field.type() == FieldType.DECIMAL)
                {
                    sb.append(BigDecimal.valueOf(field.getLong(events, i * size), field.scale()));
                }
                else if (field.type() == FieldType.TIMESTAMP)
                {
                    final long micros = field.getLong(events, i * size);
                    sb.append(LocalDateTime.ofEpochSecond(micros / 1_000_000, (int)(micros % 1_000_000) *
                        1000, ZoneOffset.UTC).toString().replace('T', ' '));
                }
                else
                {
                    sb.append(field.getLong(events, i * size));
                }
            }
            sb.append('\n');
            bytes.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
            if ((i + 1) % batch == 0 || i == rows - 1)
            {
                out.add(bytes.toByteArray());
                bytes.reset();
            }
        }
        return out.toArray(new byte[0][]);
    }

    private static void reset(final EmbeddedPostgres pg) throws Exception
    {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement())
        {
            s.execute("DROP TABLE IF EXISTS bench_sink, bench_copy, bench_copy_keyed, dataforge_checkpoints");
            s.execute("CREATE TABLE bench_copy (event_id BIGINT, event_time TIMESTAMP, user_id BIGINT, session_id " +
                "BIGINT, type TEXT, page TEXT, amount NUMERIC(18,2), currency TEXT)");
            s.execute("CREATE TABLE bench_copy_keyed (LIKE bench_copy, PRIMARY KEY (event_id))");
        }
    }

    private static double sinkRun(final String url, final RecordLayout layout, final UnsafeBuffer events,
        final int rows, final int batch, final int size) throws Exception
    {
        final SinkFactory factory = new Connectors().sink("postgres", null);
        final ConfigValues config = ConfigValues.defaults(factory.spec(), Map.of("url", url, "table", "bench_sink"));
        try (Sink sink = factory.create(new ConnectorContext("bench", layout, config, Path.of("."))))
        {
            sink.open();
            final long start = System.nanoTime();
            for (int i = 0; i < rows; i++)
            {
                sink.append(events, i * size);
                if ((i + 1) % batch == 0 || i == rows - 1)
                {
                    sink.commit(List.of(new Checkpoint("bench", "generator", 0, "", i, -1, 0)));
                }
            }
            return rows / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double copyRun(final EmbeddedPostgres pg, final byte[][] batches, final int rows,
        final String table) throws Exception
    {
        try (Connection c = pg.getPostgresDatabase().getConnection())
        {
            c.setAutoCommit(false);
            final CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            final long start = System.nanoTime();
            for (final byte[] b : batches)
            {
                final CopyIn in = copy.copyIn("COPY " + table + " FROM STDIN");
                in.writeToCopy(b, 0, b.length);
                in.endCopy();
                c.commit();
            }
            return rows / ((System.nanoTime() - start) / 1e9);
        }
    }
}

package dev.dataforge.perf;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.sink.SinkFactory;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.core.pipeline.Connectors;
import org.agrona.concurrent.UnsafeBuffer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rows/s committed into a DuckDB file by the {@code duckdb} sink against DuckDB's own appender loading the same rows
 * into the same table with the same commit size, side by side in one run (alternating, medians of the runs):
 * <pre>
 *   sink:     N generated events (SBE, in memory) → DuckDbSink.append → commit every B rows with a checkpoint
 *   appender: the same rows, already decoded into Java values (long, double, String) → DuckDBAppender on a table
 *             like the sink's, one transaction per B rows (what a hand-written loader does at best)
 * </pre>
 * Each run writes a new database file; both tables are counted afterwards. Usage: {@code DuckDbSinkVsAppender
 * [rows] [batch] [runs]}.
 */
public final class DuckDbSinkVsAppender
{
    private DuckDbSinkVsAppender()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16_384;
        final int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        final RecordLayout layout = SbeLayouts.userEvent();
        final int size = layout.recordLength();
        final UnsafeBuffer events = SinkBench.generate(rows, layout);
        final Field[] fields = layout.fields().toArray(new Field[0]);
        final Object[] columns = decode(events, rows, size, fields);
        final Path dir = Files.createTempDirectory("duckdb-bench");
        final List<Double> sinkRates = new ArrayList<>();
        final List<Double> bareRates = new ArrayList<>();
        for (int run = 0; run <= runs; run++)
        {
            final Path file = dir.resolve("run" + run + ".duckdb");
            final double sink = sinkRun(file, layout, events, rows, batch, size);
            final double bare = appenderRun(file, fields, columns, rows, batch);
            System.out.printf(Locale.ROOT, "%s: sink %,.0f rows/s, DuckDB appender %,.0f rows/s (ratio %.2f)%n",
                run == 0 ? "warm-up" : "run " + run, sink, bare, sink / bare);
            if (run > 0)
            {
                sinkRates.add(sink);
                bareRates.add(bare);
            }
            Files.deleteIfExists(file);
            Files.deleteIfExists(Path.of(file + ".wal"));
        }
        final double s = SinkBench.median(sinkRates);
        final double b = SinkBench.median(bareRates);
        System.out.printf(Locale.ROOT, "median: sink %,.0f rows/s; DuckDB appender %,.0f rows/s; ratio %.2f; %,d rows " +
            "of %d columns, commits of %,d%n", s, b, s / b, rows, fields.length, batch);
        Files.deleteIfExists(dir);
    }

    /** @return per field, its values for every row: long[], double[], boolean[] or String[] (null for NULL). */
    private static Object[] decode(final UnsafeBuffer events, final int rows, final int size, final Field[] fields)
    {
        final Object[] columns = new Object[fields.length];
        for (int f = 0; f < fields.length; f++)
        {
            final Field field = fields[f];
            final boolean[] nulls = new boolean[rows];
            switch (field.type())
            {
                case DOUBLE:
                {
                    final double[] v = new double[rows];
                    for (int i = 0; i < rows; i++)
                    {
                        nulls[i] = field.isNull(events, i * size);
                        v[i] = nulls[i] ? 0 : field.getDouble(events, i * size);
                    }
                    columns[f] = new Object[] {v, nulls};
                    break;
                }
                case BOOLEAN:
                {
                    final boolean[] v = new boolean[rows];
                    for (int i = 0; i < rows; i++)
                    {
                        nulls[i] = field.isNull(events, i * size);
                        v[i] = !nulls[i] && field.getBoolean(events, i * size);
                    }
                    columns[f] = new Object[] {v, nulls};
                    break;
                }
                case STRING:
                {
                    final String[] v = new String[rows];
                    for (int i = 0; i < rows; i++)
                    {
                        v[i] = field.isNull(events, i * size) ? null : field.getString(events, i * size);
                    }
                    columns[f] = v;
                    break;
                }
                default:
                {
                    final long[] v = new long[rows];
                    for (int i = 0; i < rows; i++)
                    {
                        nulls[i] = field.isNull(events, i * size);
                        v[i] = nulls[i] ? 0 : field.getLong(events, i * size);
                    }
                    columns[f] = new Object[] {v, nulls};
                    break;
                }
            }
        }
        return columns;
    }

    private static double sinkRun(final Path file, final RecordLayout layout, final UnsafeBuffer events,
        final int rows, final int batch, final int size) throws Exception
    {
        final SinkFactory factory = new Connectors().sink("duckdb", null);
        final ConfigValues config = ConfigValues.defaults(factory.spec(), Map.of("path", file.toString(), "table",
            "bench_sink"));
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

    private static double appenderRun(final Path file, final Field[] fields, final Object[] columns, final int rows,
        final int batch) throws Exception
    {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file))
        {
            try (Statement s = c.createStatement())
            {
                s.execute("CREATE TABLE bench_bare AS SELECT * FROM bench_sink LIMIT 0");
            }
            c.setAutoCommit(false);
            final long start = System.nanoTime();
            try (DuckDBAppender appender = ((DuckDBConnection)c).createAppender("main", "bench_bare"))
            {
                begin(c);
                for (int i = 0; i < rows; i++)
                {
                    appender.beginRow();
                    for (int f = 0; f < fields.length; f++)
                    {
                        appendValue(appender, fields[f], columns[f], i);
                    }
                    appender.endRow();
                    if ((i + 1) % batch == 0 || i == rows - 1)
                    {
                        appender.flush();
                        c.commit();
                        begin(c);
                    }
                }
            }
            c.commit();
            final double rate = rows / ((System.nanoTime() - start) / 1e9);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT (SELECT count(*) FROM bench_sink), (SELECT count(*) FROM bench_bare)"))
            {
                rs.next();
                if (rs.getLong(1) != rows || rs.getLong(2) != rows)
                {
                    throw new IllegalStateException("expected " + rows + " rows in each table, found sink " +
                        rs.getLong(1) + ", appender " + rs.getLong(2));
                }
            }
            return rate;
        }
    }

    /** With autocommit off, DuckDB begins the transaction at the next statement; the appender does not begin one. */
    private static void begin(final Connection c) throws Exception
    {
        try (Statement s = c.createStatement())
        {
            s.execute("SELECT 1");
        }
    }

    private static void appendValue(final DuckDBAppender appender, final Field field, final Object column,
        final int i) throws Exception
    {
        if (column instanceof String[])
        {
            final String v = ((String[])column)[i];
            if (v == null)
            {
                appender.appendNull();
            }
            else
            {
                appender.append(v);
            }
            return;
        }
        final Object[] pair = (Object[])column;
        if (((boolean[])pair[1])[i])
        {
            appender.appendNull();
            return;
        }
        switch (field.type())
        {
            case DOUBLE:
                if (field.length() == 4)
                {
                    appender.append((float)((double[])pair[0])[i]);
                }
                else
                {
                    appender.append(((double[])pair[0])[i]);
                }
                break;
            case BOOLEAN: appender.append(((boolean[])pair[0])[i]); break;
            case DECIMAL: appender.appendDecimal(((long[])pair[0])[i]); break;
            case TIMESTAMP: appender.appendEpochMicros(((long[])pair[0])[i]); break;
            default:
                final long v = ((long[])pair[0])[i];
                switch (field.length())
                {
                    case 1: appender.append((byte)v); break;
                    case 2: appender.append((short)v); break;
                    case 4: appender.append((int)v); break;
                    default: appender.append(v); break;
                }
                break;
        }
    }
}

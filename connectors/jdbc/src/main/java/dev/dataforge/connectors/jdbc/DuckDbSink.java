package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.deadletter.DeadLetterQueue;
import dev.dataforge.api.deadletter.SinkDeadLetters;
import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.CheckpointStore;
import dev.dataforge.api.sink.FencedException;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.codec.Field;
import org.agrona.DirectBuffer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes rows exactly once: the {@link DuckDBAppender} appends straight into the target table inside the
 * connection's open transaction, and each commit adds the dead letters and the checkpoint rows (fenced by epoch) to
 * that transaction and commits it. A failed commit, or {@link #abort()}, rolls the whole batch back.
 *
 * <p>DuckDB's appender writes into whatever transaction its connection has open, and into a transaction of its own
 * (committed at once) when none is: with autocommit off, DuckDB begins a transaction only at the connection's next
 * statement. So the sink begins each batch's transaction with a statement before the batch's first row, because the
 * appender hands rows to the table every 2,048 rows ({@code endRow}), not only at {@code flush}. A DuckDB file is
 * opened by one process at a time, and the claims' connection ({@link #checkpointStore()}) touches the checkpoint
 * table only, so the open transaction holds back nobody. Used only from the sink stage's thread.
 */
final class DuckDbSink implements Sink
{
    /** What the sink was configured with. */
    record Settings(String url, Path file, String schema, String table, String quotedSchema, String quotedTable,
        boolean createTable, boolean truncate, String quotedCheckpointTable, String pipeline, List<Field> fields,
        long checkpointWalBytes)
    {
        static Settings from(final ConnectorContext context)
        {
            final ConfigValues c = context.config();
            final String raw = c.string("path");
            final boolean memory = ":memory:".equals(raw);
            final Path file = memory ? null : c.path("path");
            final String table = c.isSet("table") ? c.string("table") : SqlNames.fromPipelineName(
                context.pipelineName());
            final String schema = c.string("schema");
            return new Settings(memory ? "jdbc:duckdb:" : "jdbc:duckdb:" + file, file, schema, table,
                SqlNames.quoted(c, "schema", schema), SqlNames.quoted(c, "table", table),
                c.getBoolean("create_table"), c.getBoolean("truncate_on_start"),
                SqlNames.quoted(c, "checkpoint_table", c.string("checkpoint_table")), context.pipelineName(),
                context.layout().fields(), c.size("checkpoint_wal_size"));
        }
    }

    private final Settings settings;
    private final Field[] fields;

    private final CheckpointTable checkpoints;
    private SinkDeadLetters deadLetters;
    private DeadLetterTable deadLetterTable;
    private Connection connection;
    private DuckDBAppender appender;
    private DuckDbCheckpointer checkpointer;
    /** Whether the connection has the batch's transaction open (begun by a statement; see the class comment). */
    private boolean inTransaction;
    /** Per length, a buffer the appender copies a string's UTF-8 bytes from (it copies them at once). */
    private final byte[][] stringBytes;
    /** Lengths of variable strings the reused buffers cover. */
    private static final int CACHED_LENGTHS = 4096;

    DuckDbSink(final Settings settings)
    {
        this.settings = settings;
        this.fields = settings.fields().toArray(new Field[0]);
        int longest = 0;
        for (final Field f : fields)
        {
            longest = Math.max(longest, f.isVariable() ? CACHED_LENGTHS : f.length());
        }
        this.stringBytes = new byte[longest + 1][];
        this.checkpoints = new CheckpointTable(DuckDbDialect.INSTANCE, settings.quotedSchema() + "." +
            settings.quotedCheckpointTable());
    }

    @Override
    public void open() throws Exception
    {
        if (settings.file() != null)
        {
            final Path parent = settings.file().toAbsolutePath().getParent();
            if (parent != null)
            {
                Files.createDirectories(parent);
            }
        }
        try
        {
            connection = DriverManager.getConnection(settings.url());
        }
        catch (final SQLException e)
        {
            throw new SQLException("cannot open DuckDB database " + settings.file() + ": " + e.getMessage(), e);
        }
        prepareTable();
        checkpoints.prepare(connection);
        if (deadLetterTable != null)
        {
            deadLetterTable.create(connection);
        }
        final String qualified = settings.quotedSchema() + "." + settings.quotedTable();
        if (settings.truncate())
        {
            // the rows and the checkpoints go together, or neither does
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement())
            {
                s.execute("DELETE FROM " + qualified);
                checkpoints.delete(connection, settings.pipeline());
                connection.commit();
            }
            catch (final SQLException e)
            {
                connection.rollback();
                throw e;
            }
            finally
            {
                connection.setAutoCommit(true);
            }
        }
        if (settings.file() != null && settings.checkpointWalBytes() > 0)
        {
            try (Statement s = connection.createStatement())
            {
                s.execute("SET wal_autocheckpoint = '1TB'"); // the checkpointer's thread does it instead
            }
            checkpointer = new DuckDbCheckpointer((DuckDBConnection)connection, settings.file(),
                settings.checkpointWalBytes(), "dataforge-duckdb-checkpoint");
        }
        connection.setAutoCommit(false);
        appender = newAppender();
    }

    private DuckDBAppender newAppender() throws SQLException
    {
        return ((DuckDBConnection)connection).createAppender(settings.schema(), settings.table());
    }

    /** Opens the batch's transaction unless it is open: the appender joins it (outside one it commits rows itself). */
    private void begin() throws SQLException
    {
        if (inTransaction)
        {
            return;
        }
        try (Statement s = connection.createStatement())
        {
            s.execute("SELECT 1");
        }
        inTransaction = true;
    }

    /**
     * Closes the appender without committing its rows: it may hold rows it has not handed to the table (it has no way
     * to drop them, and closing hands them over), so it closes into a transaction that is rolled back.
     */
    private void discardAppender() throws SQLException
    {
        begin();
        try
        {
            appender.close();
        }
        finally
        {
            rollback();
        }
    }

    private void prepareTable() throws SQLException
    {
        final String qualified = settings.quotedSchema() + "." + settings.quotedTable();
        final Map<String, String> existing = columns();
        try (Statement s = connection.createStatement())
        {
            if (existing.isEmpty())
            {
                if (!settings.createTable())
                {
                    throw new SQLException("table " + settings.schema() + "." + settings.table() + " does not exist " +
                        "and create_table is false");
                }
                s.execute("CREATE SCHEMA IF NOT EXISTS " + settings.quotedSchema());
                s.execute(DuckDbDialect.INSTANCE.createTable(qualified, settings.fields()));
            }
            else
            {
                checkColumns(existing);
            }
        }
    }

    private Map<String, String> columns() throws SQLException
    {
        final Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND " +
            "table_name = ? ORDER BY ordinal_position"))
        {
            ps.setString(1, settings.schema());
            ps.setString(2, settings.table());
            try (ResultSet rs = ps.executeQuery())
            {
                while (rs.next())
                {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    private void checkColumns(final Map<String, String> existing) throws SQLException
    {
        final List<String> expected = new ArrayList<>();
        for (final Field f : fields)
        {
            expected.add(f.name() + " " + DuckDbDialect.INSTANCE.columnType(f));
        }
        final List<String> actual = new ArrayList<>();
        existing.forEach((name, type) -> actual.add(name + " " + type.toUpperCase(Locale.ROOT)));
        if (!expected.equals(actual))
        {
            throw new SQLException("table " + settings.schema() + "." + settings.table() + " exists with other " +
                "columns: has (" + String.join(", ", actual) + "), the pipeline writes (" +
                String.join(", ", expected) + "); drop it, or set another table");
        }
    }

    @Override
    public void append(final DirectBuffer buffer, final int base) throws SQLException
    {
        begin();
        appender.beginRow();
        for (final Field f : fields)
        {
            if (f.isNull(buffer, base))
            {
                appender.appendNull();
                continue;
            }
            switch (f.type())
            {
                case LONG:
                    switch (f.length())
                    {
                        case 1: appender.append((byte)f.getLong(buffer, base)); break;
                        case 2: appender.append((short)f.getLong(buffer, base)); break;
                        case 4: appender.append((int)f.getLong(buffer, base)); break;
                        default: appender.append(f.getLong(buffer, base)); break;
                    }
                    break;
                case DECIMAL: appender.appendDecimal(f.getLong(buffer, base)); break;
                case DOUBLE:
                    if (f.length() == 4)
                    {
                        appender.append((float)f.getDouble(buffer, base));
                    }
                    else
                    {
                        appender.append(f.getDouble(buffer, base));
                    }
                    break;
                case BOOLEAN: appender.append(f.getBoolean(buffer, base)); break;
                case TIMESTAMP: appender.appendEpochMicros(f.getLong(buffer, base)); break;
                default: appender.append(utf8(f, buffer, base)); break;
            }
        }
        appender.endRow();
    }

    /**
     * @return the string's UTF-8 bytes in a buffer of exactly their length, reused up to {@link #CACHED_LENGTHS}
     * bytes (no allocation per row); a longer variable string or json value gets an array of its own.
     */
    private byte[] utf8(final Field f, final DirectBuffer buffer, final int base)
    {
        final int n = f.stringLength(buffer, base);
        byte[] bytes = n < stringBytes.length ? stringBytes[n] : new byte[n];
        if (bytes == null)
        {
            bytes = new byte[n];
            stringBytes[n] = bytes;
        }
        buffer.getBytes(f.stringStart(buffer, base), bytes, 0, n);
        return bytes;
    }

    @Override
    public void commit() throws SQLException
    {
        try
        {
            commit(List.of());
        }
        catch (final FencedException impossible)
        {
            throw new IllegalStateException(impossible);
        }
    }

    /** Takes {@code dead_letter: {type: sink}}: dead letters go to a table of the database, in each batch's commit. */
    @Override
    public boolean enlist(final DeadLetterQueue queue)
    {
        if (!(queue instanceof SinkDeadLetters))
        {
            return false;
        }
        deadLetters = (SinkDeadLetters)queue;
        deadLetterTable = new DeadLetterTable(DuckDbDialect.INSTANCE, settings.quotedSchema() + "." +
            SqlNames.quote(deadLetters.table()));
        deadLetters.writtenTo(describe() + ", dead letters in " + deadLetterTable.describe());
        return true;
    }

    /** Claims partitions on a connection of its own to the same database (DuckDB's duplicate). */
    @Override
    public CheckpointStore checkpointStore()
    {
        return new JdbcCheckpointStore(() -> ((DuckDBConnection)connection).duplicate(), DuckDbDialect.INSTANCE,
            checkpoints);
    }

    /** Commits the batch's rows with its dead letters and checkpoints, in one transaction. */
    @Override
    public void commit(final List<Checkpoint> batchCheckpoints) throws SQLException, FencedException
    {
        begin();
        try
        {
            appender.flush();
            if (deadLetters != null)
            {
                deadLetterTable.write(connection, deadLetters.take());
            }
            if (!batchCheckpoints.isEmpty())
            {
                checkpoints.write(connection, batchCheckpoints);
            }
            connection.commit();
            inTransaction = false;
        }
        catch (final SQLException | FencedException e)
        {
            rollback();
            throw e;
        }
        if (checkpointer != null)
        {
            checkpointer.committed();
        }
    }

    private void rollback() throws SQLException
    {
        inTransaction = false;
        connection.rollback();
    }

    @Override
    public List<Checkpoint> readCheckpoints(final String pipeline) throws SQLException
    {
        return checkpoints.read(connection, pipeline);
    }

    /** Rolls the batch back, the rows the appender still holds included, and takes a new appender. */
    @Override
    public void abort() throws SQLException
    {
        if (deadLetters != null)
        {
            deadLetters.discard();
        }
        rollback();
        try
        {
            discardAppender();
        }
        finally
        {
            appender = newAppender();
        }
    }

    @Override
    public boolean recoverable()
    {
        return true;
    }

    /** Constraint and conversion errors are the row's; everything else in an embedded database is fatal. */
    @Override
    public Failure classify(final Exception failure)
    {
        return DuckDbDialect.INSTANCE.classify(failure);
    }

    @Override
    public String deliveryGuarantee()
    {
        return "exactly-once";
    }

    Connection connectionForTest()
    {
        return connection;
    }

    @Override
    public String describe()
    {
        return "duckdb " + (settings.file() == null ? ":memory:" : settings.file()) + " table " + settings.table();
    }

    /** Whatever was not committed is rolled back. */
    @Override
    public void close() throws SQLException
    {
        try
        {
            if (appender != null)
            {
                discardAppender();
            }
        }
        finally
        {
            try
            {
                if (checkpointer != null)
                {
                    checkpointer.close();
                }
            }
            finally
            {
                if (connection != null)
                {
                    connection.close();
                }
            }
        }
    }
}

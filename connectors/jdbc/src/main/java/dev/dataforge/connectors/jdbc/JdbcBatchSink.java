package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.deadletter.DeadLetterQueue;
import dev.dataforge.api.deadletter.SinkDeadLetters;
import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.CheckpointStore;
import dev.dataforge.api.sink.FencedException;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.codec.Field;
import org.agrona.DirectBuffer;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The JDBC code path shared by every SQL sink without a bulk API of its own (generic JDBC, Snowflake): each row is
 * bound to a prepared INSERT and added to the statement's batch (drivers such as Snowflake's send a batch as one
 * array bind); a commit executes the batch, writes its dead letters (with {@code dead_letter: {type: sink}}) and the
 * checkpoint rows (fenced by epoch), and commits, all in one transaction.
 * Used only from the sink stage's thread.
 */
public class JdbcBatchSink implements Sink
{
    /** Opens connections; called again after a transient failure broke the last one. */
    @FunctionalInterface
    public interface ConnectionFactory
    {
        Connection open() throws SQLException;
    }

    /**
     * Where rows and checkpoints go.
     *
     * @param schemaPrefix the quoted schema and a dot ({@code "s".}), or "" for the connection's schema: where the
     *                     dead-letter table goes too.
     */
    public record Target(String qualifiedTable, String qualifiedCheckpointTable, boolean createTable, String label,
        String schemaPrefix)
    {
        /**
         * @return the target a sink's config names: options {@code table} (default: from the pipeline name),
         * {@code checkpoint_table}, {@code create_table}, in the schema {@code qualifiedSchemaPrefix} ("" or
         * {@code "\"s\"."}); identifiers validated and quoted.
         */
        public static Target of(final ConnectorContext context, final String
            qualifiedSchemaPrefix, final String kind, final String url)
        {
            final ConfigValues c = context.config();
            final String table = c.isSet("table") ? c.string("table") :
                SqlNames.fromPipelineName(context.pipelineName());
            return new Target(qualifiedSchemaPrefix + SqlNames.quoted(c, "table", table),
                qualifiedSchemaPrefix + SqlNames.quoted(c, "checkpoint_table", c.string("checkpoint_table")),
                c.getBoolean("create_table"), kind + " " + SqlNames.withoutCredentials(url) + " table " + table,
                qualifiedSchemaPrefix);
        }
    }

    /**
     * The options every SQL sink takes for its connection and tables: url, user, password (secret), table,
     * create_table, checkpoint_table, and the database's own {@code schema} option.
     */
    public static List<ConfigOption> tableOptions(
        final String urlExample, final ConfigOption schema)
    {
        final ConfigOption.Type string = ConfigOption.Type.STRING;
        return List.of(
            ConfigOption.of("url", string, "JDBC URL").required().example(urlExample),
            ConfigOption.of("user", string, "user name"),
            ConfigOption.of("password", string, "password").secret()
                .example("${DB_PASSWORD}"),
            schema,
            ConfigOption.of("table", string, "table name; default: the pipeline name " +
                "with '-' and '.' as '_'"),
            ConfigOption.of("create_table", ConfigOption.Type
                .BOOLEAN, "create the table from the event layout when it does not exist").defaultValue("true"),
            ConfigOption.of("checkpoint_table", string, "table of the pipelines' " +
                "checkpoints, written in the same transaction as each batch").defaultValue("dataforge_checkpoints"));
    }

    /**
     * @return connections to the config's {@code url} with its {@code user} and {@code password} (and
     * {@code extra} properties), through the driver on the class path; a failure never shows the password.
     */
    public static ConnectionFactory connections(final ConfigValues c, final Map<String, String> extra)
    {
        final String url = c.string("url");
        final Properties properties = credentials(c);
        extra.forEach(properties::setProperty);
        return () -> Secrets.connect(() -> DriverManager.getConnection(url, properties), url,
            properties.getProperty("password"));
    }

    /** @return the JDBC properties {@code user} and {@code password} from a sink's config, where set. */
    public static Properties credentials(final ConfigValues c)
    {
        final Properties properties = new Properties();
        if (c.isSet("user"))
        {
            properties.setProperty("user", c.string("user"));
        }
        if (c.isSet("password"))
        {
            properties.setProperty("password", c.string("password"));
        }
        return properties;
    }

    private final ConnectionFactory connections;
    private final JdbcDialect dialect;
    private final Target target;
    private final CheckpointTable checkpoints;
    private final Field[] fields;
    private SinkDeadLetters deadLetters;
    private DeadLetterTable deadLetterTable;
    private Connection connection;
    private boolean snapshotAtBegin;
    private PreparedStatement insert;
    private boolean prepared;
    private int batched;

    public JdbcBatchSink(
        final ConnectionFactory connections, final JdbcDialect dialect, final Target target, final List<Field> fields)
    {
        this.connections = connections;
        this.dialect = dialect;
        this.target = target;
        this.checkpoints = new CheckpointTable(dialect, target.qualifiedCheckpointTable());
        this.fields = fields.toArray(new Field[0]);
    }

    @Override
    public void open() throws SQLException
    {
        connection = connections.open();
        connection.setAutoCommit(true);
        // DuckDB's transactions see the database as of their BEGIN, which its driver issues at the last commit:
        // a batch must begin afresh to see a claim made since (see commitBatch)
        snapshotAtBegin = "DuckDB".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
        try (Statement s = connection.createStatement())
        {
            if (target.createTable())
            {
                s.execute(dialect.createTable(target.qualifiedTable(), List.of(fields)));
            }
        }
        checkpoints.prepare(connection);
        if (deadLetterTable != null)
        {
            deadLetterTable.create(connection);
        }
        prepare();
    }

    /** Takes {@code dead_letter: {type: sink}}: dead letters go to a table beside the events', in each batch's commit. */
    @Override
    public boolean enlist(final DeadLetterQueue queue)
    {
        if (!(queue instanceof SinkDeadLetters))
        {
            return false;
        }
        deadLetters = (SinkDeadLetters)queue;
        deadLetterTable = new DeadLetterTable(dialect, target.schemaPrefix() + dialect.quote(deadLetters.table()));
        deadLetters.writtenTo(target.label() + ", dead letters in " + deadLetterTable.describe());
        return true;
    }

    @Override
    public CheckpointStore checkpointStore()
    {
        return new JdbcCheckpointStore(connections, dialect, checkpoints);
    }

    private void prepare() throws SQLException
    {
        if (connection == null || connection.isClosed())
        {
            connection = connections.open();
        }
        connection.setAutoCommit(false);
        prepareWrites(connection);
        prepared = true;
    }

    /** Prepares what {@link #addRow} and {@link #writeRows} use on a new connection; here, the INSERT. */
    protected void prepareWrites(final Connection c) throws SQLException
    {
        insert = c.prepareStatement(dialect.insert(target.qualifiedTable(), List.of(fields)));
    }

    /** Adds one row to the batch; here, bound to the INSERT and added to its JDBC batch. */
    protected void addRow(final Field[] fields, final DirectBuffer buffer, final int base) throws SQLException
    {
        bind(insert, fields, buffer, base, dialect);
        insert.addBatch();
    }

    /** Writes the batch's rows inside the open transaction; here, executes the JDBC batch. */
    protected void writeRows(final Connection c) throws SQLException
    {
        insert.executeBatch();
    }

    /** Forgets the batch's rows after a failure. */
    protected void discardRows() throws SQLException
    {
        if (insert != null)
        {
            insert.clearBatch();
        }
    }

    protected final String qualifiedTable()
    {
        return target.qualifiedTable();
    }

    @Override
    public void append(final DirectBuffer buffer, final int base) throws SQLException
    {
        if (!prepared)
        {
            prepare();
        }
        try
        {
            addRow(fields, buffer, base);
        }
        catch (final RuntimeException e)
        {
            throw driverFailure(e);
        }
        batched++;
    }

    /** Binds every field of the record at {@code base} to parameters 1..n, NULLs as SQL NULL. */
    public static void bind(final PreparedStatement ps, final Field[] fields, final DirectBuffer buffer, final int base)
        throws SQLException
    {
        bind(ps, fields, buffer, base, JdbcDialect.ANSI);
    }

    /** Binds every field as {@link #bind(PreparedStatement, Field[], DirectBuffer, int)}, timestamps the dialect's way. */
    public static void bind(final PreparedStatement ps, final Field[] fields, final DirectBuffer buffer, final int base,
        final JdbcDialect dialect) throws SQLException
    {
        for (int i = 0; i < fields.length; i++)
        {
            final Field f = fields[i];
            final int p = i + 1;
            if (f.isNull(buffer, base))
            {
                ps.setNull(p, sqlType(f));
                continue;
            }
            switch (f.type())
            {
                case LONG: ps.setLong(p, f.getLong(buffer, base)); break;
                case DECIMAL: ps.setBigDecimal(p, BigDecimal.valueOf(f.getLong(buffer, base), f.scale())); break;
                case DOUBLE: ps.setDouble(p, f.getDouble(buffer, base)); break;
                case BOOLEAN: ps.setBoolean(p, f.getBoolean(buffer, base)); break;
                case TIMESTAMP: dialect.bindTimestamp(ps, p, f.getLong(buffer, base)); break;
                default: ps.setString(p, f.getString(buffer, base)); break;
            }
        }
    }

    static int sqlType(final Field f)
    {
        switch (f.type())
        {
            case LONG: return Types.BIGINT;
            case DECIMAL: return Types.DECIMAL;
            case DOUBLE: return Types.DOUBLE;
            case BOOLEAN: return Types.BOOLEAN;
            case TIMESTAMP: return Types.TIMESTAMP;
            default: return Types.VARCHAR;
        }
    }

    /** @return a UTC wall-clock timestamp for epoch micros (the column is TIMESTAMP without time zone, in UTC). */
    static Timestamp timestamp(final long micros)
    {
        final LocalDateTime utc = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
            (int)Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
        return Timestamp.valueOf(utc);
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

    @Override
    public void commit(final List<Checkpoint> checkpoints) throws SQLException, FencedException
    {
        if (!prepared)
        {
            prepare();
        }
        try
        {
            commitBatch(checkpoints);
        }
        catch (final RuntimeException | AssertionError e)
        {
            throw driverFailure(e);
        }
    }

    /**
     * Some drivers throw unchecked exceptions when their connection dies under them (PostgreSQL's, for one): wrap
     * them so that the SQLSTATE of their cause classifies the failure.
     */
    private static SQLException driverFailure(final Throwable e)
    {
        return new SQLException(e.getMessage(), null, e);
    }

    private void commitBatch(final List<Checkpoint> batchCheckpoints) throws SQLException, FencedException
    {
        if (snapshotAtBegin)
        {
            connection.commit(); // nothing is written before writeRows: this only begins a fresh transaction
        }
        if (batched > 0)
        {
            writeRows(connection);
            batched = 0;
        }
        if (deadLetters != null)
        {
            deadLetterTable.write(connection, deadLetters.take());
        }
        if (!batchCheckpoints.isEmpty())
        {
            try
            {
                checkpoints.write(connection, batchCheckpoints);
            }
            catch (final FencedException fenced)
            {
                connection.rollback();
                throw fenced;
            }
        }
        connection.commit();
    }

    @Override
    public List<Checkpoint> readCheckpoints(final String pipeline) throws SQLException
    {
        try
        {
            if (!prepared)
            {
                prepare();
            }
            if (snapshotAtBegin)
            {
                connection.commit(); // see what other connections committed since (see open)
            }
            final List<Checkpoint> out = checkpoints.read(connection, pipeline);
            connection.commit();
            return out;
        }
        catch (final SQLException e)
        {
            if (connectionBroken())
            {
                closeQuietly(); // the next read opens a new connection
            }
            throw e;
        }
    }

    /** Rolls back; after a broken connection, the next call opens a new one. */
    @Override
    public void abort() throws SQLException
    {
        batched = 0;
        if (deadLetters != null)
        {
            deadLetters.discard();
        }
        try
        {
            discardRows();
            if (connection != null && !connection.isClosed())
            {
                connection.rollback();
            }
        }
        catch (final SQLException broken)
        {
            closeQuietly();
        }
        if (connection == null || connection.isClosed() || !connection.isValid(5))
        {
            closeQuietly();
        }
    }

    private void closeQuietly()
    {
        try
        {
            if (connection != null)
            {
                connection.close();
            }
        }
        catch (final SQLException ignored)
        {
            // the connection is already gone
        }
        connection = null;
        insert = null;
        prepared = false;
    }

    @Override
    public boolean recoverable()
    {
        return true;
    }

    /**
     * The dialect decides; an otherwise fatal failure that left the connection dead is transient (reconnect), unless
     * the database refused the login.
     */
    @Override
    public Failure classify(final Exception failure)
    {
        if (dialect.refusesLogin(failure))
        {
            return Failure.FATAL;
        }
        final Failure kind = dialect.classify(failure);
        return kind == Failure.FATAL && connectionBroken() ? Failure.TRANSIENT : kind;
    }

    private boolean connectionBroken()
    {
        try
        {
            return connection == null || connection.isClosed() || !connection.isValid(5);
        }
        catch (final SQLException e)
        {
            return true;
        }
    }

    @Override
    public String deliveryGuarantee()
    {
        return "exactly-once";
    }

    @Override
    public String describe()
    {
        return target.label();
    }

    @Override
    public void close() throws SQLException
    {
        if (connection != null)
        {
            try
            {
                connection.rollback();
            }
            finally
            {
                connection.close();
                connection = null;
            }
        }
    }
}

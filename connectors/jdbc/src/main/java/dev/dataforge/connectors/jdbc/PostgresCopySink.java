package dev.dataforge.connectors.jdbc;

import dev.dataforge.codec.Field;
import org.agrona.DirectBuffer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;

/**
 * PostgreSQL through {@code COPY}: rows are encoded in COPY's text format as they come, and a commit streams the
 * batch into the table and upserts the checkpoints, in one transaction. A batch that holds rows already in the
 * table (a replay) goes instead through a session-local staging table and {@code ON CONFLICT (event_id) DO
 * NOTHING}, so writes are idempotent on event_id. The staging table empties itself at commit.
 */
final class PostgresCopySink extends JdbcBatchSink
{
    private static final String STAGING = "dataforge_staging";

    private final CopyTextWriter rows = new CopyTextWriter();
    private final boolean keyed;
    private CopyManager copy;
    private String move;

    PostgresCopySink(
        final ConnectionFactory connections, final Target target, final List<Field> fields)
    {
        super(connections, PostgresDialect.INSTANCE, target, fields);
        this.keyed = fields.stream().anyMatch(f -> f.name().equals("event_id"));
    }

    @Override
    protected void prepareWrites(final Connection c) throws SQLException
    {
        try (Statement s = c.createStatement())
        {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS " + STAGING + " (LIKE " + qualifiedTable() +
                " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
        }
        c.commit();
        copy = c.unwrap(PGConnection.class).getCopyAPI();
        move = "INSERT INTO " + qualifiedTable() + " SELECT * FROM " + STAGING +
            (keyed ? " ON CONFLICT (\"event_id\") DO NOTHING" : "");
    }

    @Override
    protected void addRow(final Field[] fields, final DirectBuffer buffer, final int base)
    {
        rows.row(fields, buffer, base);
    }

    /**
     * COPYs the batch straight into the table under a savepoint; when a row is already there (unique violation on
     * event_id, a replayed batch) it rolls back to the savepoint and goes through the staging table with
     * {@code ON CONFLICT DO NOTHING} instead, so the common case pays for one write, not two.
     */
    @Override
    protected void writeRows(final Connection c) throws SQLException
    {
        try
        {
            if (!keyed)
            {
                copyInto(qualifiedTable());
                return;
            }
            final Savepoint direct = c.setSavepoint();
            try
            {
                copyInto(qualifiedTable());
                c.releaseSavepoint(direct);
                return;
            }
            catch (final SQLException e)
            {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState()))
                {
                    throw e;
                }
                c.rollback(direct);
            }
            copyInto(STAGING);
            try (Statement s = c.createStatement())
            {
                s.executeUpdate(move);
            }
        }
        finally
        {
            rows.reset();
        }
    }

    private static final String UNIQUE_VIOLATION = "23505";

    private void copyInto(final String table) throws SQLException
    {
        final CopyIn in = copy.copyIn("COPY " + table + " FROM STDIN");
        try
        {
            in.writeToCopy(rows.array(), 0, rows.length());
            in.endCopy();
        }
        finally
        {
            if (in.isActive())
            {
                in.cancelCopy();
            }
        }
    }

    @Override
    protected void discardRows()
    {
        rows.reset();
    }
}

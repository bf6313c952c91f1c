package dev.dataforge.connectors.jdbc;

import dev.dataforge.codec.Field;
import org.agrona.DirectBuffer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * PostgreSQL through {@code COPY}: rows are encoded in COPY's text format as they come, and a commit streams the
 * batch into a session-local staging table, moves it into the target ({@code ON CONFLICT (event_id) DO NOTHING},
 * so a replayed batch is idempotent) and upserts the checkpoints, in one transaction. The staging table empties
 * itself at commit ({@code ON COMMIT DELETE ROWS}).
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

    @Override
    protected void writeRows(final Connection c) throws SQLException
    {
        final CopyIn in = copy.copyIn("COPY " + STAGING + " FROM STDIN");
        try
        {
            in.writeToCopy(rows.array(), 0, rows.length());
            in.endCopy();
        }
        finally
        {
            rows.reset();
            if (in.isActive())
            {
                in.cancelCopy();
            }
        }
        try (Statement s = c.createStatement())
        {
            s.executeUpdate(move);
        }
    }

    @Override
    protected void discardRows()
    {
        rows.reset();
    }
}

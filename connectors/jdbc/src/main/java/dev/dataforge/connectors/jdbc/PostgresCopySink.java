package dev.dataforge.connectors.jdbc;

import dev.dataforge.codec.Field;
import org.agrona.DirectBuffer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL through {@code COPY}: events are encoded in COPY's text format as they come, and a commit streams the
 * batch straight into the table and writes the checkpoints, in one transaction. The checkpoints (fenced by epoch)
 * are what keeps a batch from landing twice; the table has no key.
 */
final class PostgresCopySink extends JdbcBatchSink
{
    private final CopyTextWriter rows = new CopyTextWriter();
    private final String columns;
    private CopyManager copy;

    PostgresCopySink(
        final ConnectionFactory connections, final Target target, final List<Field> fields)
    {
        super(connections, PostgresDialect.INSTANCE, target, fields);
        final List<String> names = new ArrayList<>();
        for (final Field f : fields)
        {
            names.add(PostgresDialect.INSTANCE.quote(f.name()));
        }
        // named: a table with more columns (a default, an identity) takes the rows as well
        this.columns = " (" + String.join(", ", names) + ")";
    }

    @Override
    protected void prepareWrites(final Connection c) throws SQLException
    {
        copy = c.unwrap(PGConnection.class).getCopyAPI();
    }

    @Override
    protected void addRow(final Field[] fields, final DirectBuffer buffer, final int base)
    {
        rows.row(fields, buffer, base);
    }

    @Override
    protected void writeRows(final Connection c) throws SQLException
    {
        try
        {
            final CopyIn in = copy.copyIn("COPY " + qualifiedTable() + columns + " FROM STDIN");
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
        finally
        {
            rows.reset();
        }
    }

    @Override
    protected void discardRows()
    {
        rows.reset();
    }
}

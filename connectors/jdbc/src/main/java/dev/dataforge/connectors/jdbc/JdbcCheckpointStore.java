package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.CheckpointStore;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.source.SourcePartition;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A SQL sink's checkpoint store: claims partitions on a connection of its own (never the sink stage's), retrying a
 * claim that lost a race with a commit or another claim, and reconnecting after a lost connection.
 */
final class JdbcCheckpointStore implements CheckpointStore
{
    private static final int ATTEMPTS = 20;

    private final JdbcBatchSink.ConnectionFactory connections;
    private final JdbcDialect dialect;
    private final CheckpointTable table;
    private Connection connection;

    JdbcCheckpointStore(final JdbcBatchSink.ConnectionFactory connections, final JdbcDialect dialect,
        final CheckpointTable table)
    {
        this.connections = connections;
        this.dialect = dialect;
        this.table = table;
    }

    @Override
    public List<Checkpoint> claim(final String pipeline, final List<SourcePartition> partitions) throws SQLException
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                if (connection == null || connection.isClosed())
                {
                    connection = connections.open();
                    connection.setAutoCommit(false);
                }
                return table.claim(connection, pipeline, partitions);
            }
            catch (final SQLException e)
            {
                if (attempt >= ATTEMPTS || dialect.classify(e) != Sink.Failure.TRANSIENT &&
                    connection != null && connection.isValid(5))
                {
                    throw new SQLException("cannot claim " + partitions + " in the checkpoint table: " +
                        e.getMessage(), e.getSQLState(), e);
                }
                closeQuietly();
                LockSupport.parkNanos(Math.min(1_000_000_000L, 10_000_000L << Math.min(attempt, 6)));
            }
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
            // gone already
        }
        connection = null;
    }

    @Override
    public void close()
    {
        closeQuietly();
    }
}

package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.sink.Checkpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of checkpoints every SQL sink writes in the same transaction as each batch: one row per pipeline,
 * source and partition, with the last settled offset, the journal index and when it was written. The columns are
 * defined here once; the dialect names their types and says how a row is upserted.
 * <pre>
 *   pipeline | source | partition_id | last_offset | journal_index | updated_at
 * </pre>
 */
public final class CheckpointTable
{
    private final JdbcDialect dialect;
    private final String qualifiedTable;

    public CheckpointTable(final JdbcDialect dialect, final String qualifiedTable)
    {
        this.dialect = dialect;
        this.qualifiedTable = qualifiedTable;
    }

    /** @return {@code CREATE TABLE IF NOT EXISTS} of the table. */
    public String create()
    {
        final SqlTypes t = dialect.types();
        return "CREATE TABLE IF NOT EXISTS " + qualifiedTable + " (pipeline " + t.text() + " NOT NULL, source " +
            t.text() + " NOT NULL, partition_id " + t.integer() + " NOT NULL, last_offset " + t.bigint() +
            " NOT NULL, journal_index " + t.bigint() + " NOT NULL, updated_at " + t.timestamp() + " DEFAULT " +
            t.now() + ", PRIMARY KEY (pipeline, source, partition_id))";
    }

    /** Upserts one row per checkpoint, in the connection's open transaction. */
    public void upsert(final Connection c, final List<Checkpoint> checkpoints) throws SQLException
    {
        try (PreparedStatement ps = c.prepareStatement(dialect.upsertCheckpoint(qualifiedTable)))
        {
            for (final Checkpoint cp : checkpoints)
            {
                ps.setString(1, cp.pipeline());
                ps.setString(2, cp.source());
                ps.setInt(3, cp.partition());
                ps.setLong(4, cp.offset());
                ps.setLong(5, cp.journalIndex());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** @return the checkpoints of {@code pipeline}, ordered by source and partition. */
    public List<Checkpoint> read(final Connection c, final String pipeline) throws SQLException
    {
        final List<Checkpoint> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source, partition_id, last_offset, journal_index " +
            "FROM " + qualifiedTable + " WHERE pipeline = ? ORDER BY source, partition_id"))
        {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery())
            {
                while (rs.next())
                {
                    out.add(new Checkpoint(pipeline, rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /** Deletes the checkpoints of {@code pipeline}. */
    public void delete(final Connection c, final String pipeline) throws SQLException
    {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + qualifiedTable + " WHERE pipeline = ?"))
        {
            ps.setString(1, pipeline);
            ps.executeUpdate();
        }
    }
}

package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.sink.Checkpoint;
import dev.dataforge.api.sink.FencedException;
import dev.dataforge.api.source.SourcePartition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of checkpoints every SQL sink writes in the same transaction as each batch: one row per pipeline,
 * source and partition, with the id of the partition's incarnation, the last settled offset, the journal index,
 * the fencing epoch and when it was written. The columns are defined here once; the dialect names their types and
 * says how a row is inserted when absent.
 * <pre>
 *   pipeline | source | partition_id | source_id | last_offset | journal_index | epoch | updated_at
 * </pre>
 * Fencing: a claim (at every assignment of the partition to an instance) raises {@code epoch} in one transaction
 * with reading the row; a batch commit updates the row only where {@code epoch} is still the one it carries, so the
 * commit of an instance that lost the partition changes nothing and fails ({@link FencedException}).
 */
public final class CheckpointTable
{
    private static final String KEY = " WHERE pipeline = ? AND source = ? AND partition_id = ?";

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
            t.text() + " NOT NULL, partition_id " + t.integer() + " NOT NULL, source_id " + t.text() + ", " +
            "last_offset " + t.bigint() + " NOT NULL, journal_index " + t.bigint() + " NOT NULL, epoch " +
            t.bigint() + " NOT NULL, updated_at " + t.timestamp() + " DEFAULT " + t.now() + ", " +
            "PRIMARY KEY (pipeline, source, partition_id))";
    }

    /**
     * Creates the table when it does not exist, and checks that one that does has this version's columns.
     *
     * @throws SQLException naming the table and what to do when it was made by an older version.
     */
    public void prepare(final Connection c) throws SQLException
    {
        try (Statement s = c.createStatement())
        {
            s.execute(create());
        }
        try (Statement s = c.createStatement())
        {
            s.executeQuery("SELECT pipeline, source, partition_id, source_id, last_offset, journal_index, epoch " +
                "FROM " + qualifiedTable + " WHERE 1 = 0").close();
        }
        catch (final SQLException old)
        {
            if (!c.getAutoCommit())
            {
                c.rollback();
            }
            throw new SQLException("checkpoint table " + qualifiedTable + " was made by an older version of " +
                "DataForge (it lacks the columns partition_id, source_id or epoch): drop it, and every partition " +
                "starts where the source's start says, or set checkpoint_table to another table", "42S22", old);
        }
    }

    /**
     * Claims {@code partitions} for this instance in one transaction: each row is created when absent (offset
     * {@link Checkpoint#NONE}), its epoch raised by one, and read back. Commits the connection's transaction.
     *
     * @return the checkpoints, in the order of {@code partitions}, with the epoch this instance now holds.
     */
    public List<Checkpoint> claim(final Connection c, final String pipeline, final List<SourcePartition> partitions)
        throws SQLException
    {
        final List<Checkpoint> out = new ArrayList<>(partitions.size());
        try (PreparedStatement insert = c.prepareStatement(dialect.insertCheckpointIfAbsent(qualifiedTable));
            PreparedStatement raise = c.prepareStatement("UPDATE " + qualifiedTable + " SET epoch = epoch + 1" + KEY);
            PreparedStatement read = c.prepareStatement("SELECT source_id, last_offset, journal_index, epoch FROM " +
                qualifiedTable + KEY))
        {
            for (final SourcePartition p : partitions)
            {
                bindRow(insert, pipeline, p.source(), p.partition(), p.sourceId(), Checkpoint.NONE, -1, 0);
                insert.executeUpdate();
                bindKey(raise, 1, pipeline, p.source(), p.partition());
                raise.executeUpdate();
                bindKey(read, 1, pipeline, p.source(), p.partition());
                try (ResultSet rs = read.executeQuery())
                {
                    if (!rs.next())
                    {
                        throw new SQLException("the checkpoint of " + p + " vanished while it was claimed");
                    }
                    out.add(new Checkpoint(pipeline, p.source(), p.partition(), rs.getString(1), rs.getLong(2),
                        rs.getLong(3), rs.getLong(4)));
                }
            }
            c.commit();
        }
        catch (final SQLException e)
        {
            c.rollback();
            throw e;
        }
        return out;
    }

    /**
     * Writes the batch's checkpoints in the connection's open transaction, each only where its epoch is still the
     * row's (a partition nobody claimed yet gets its row now).
     *
     * @throws FencedException naming the checkpoints whose partition another instance claimed; the caller rolls back.
     */
    public void write(final Connection c, final List<Checkpoint> checkpoints) throws SQLException, FencedException
    {
        final List<Checkpoint> fenced = new ArrayList<>();
        try (PreparedStatement update = c.prepareStatement("UPDATE " + qualifiedTable + " SET last_offset = ?, " +
            "journal_index = ?, source_id = ?, updated_at = " + dialect.types().now() + KEY + " AND epoch = ?"))
        {
            PreparedStatement insert = null;
            try
            {
                for (final Checkpoint cp : checkpoints)
                {
                    update.setLong(1, cp.offset());
                    update.setLong(2, cp.journalIndex());
                    update.setString(3, cp.sourceId());
                    bindKey(update, 4, cp.pipeline(), cp.source(), cp.partition());
                    update.setLong(7, cp.epoch());
                    if (update.executeUpdate() == 1)
                    {
                        continue;
                    }
                    if (insert == null)
                    {
                        insert = c.prepareStatement(dialect.insertCheckpointIfAbsent(qualifiedTable));
                    }
                    bindRow(insert, cp.pipeline(), cp.source(), cp.partition(), cp.sourceId(), cp.offset(),
                        cp.journalIndex(), cp.epoch());
                    if (insert.executeUpdate() != 1)
                    {
                        fenced.add(cp);
                    }
                }
            }
            finally
            {
                if (insert != null)
                {
                    insert.close();
                }
            }
        }
        if (!fenced.isEmpty())
        {
            throw new FencedException(fenced);
        }
    }

    /** @return the checkpoints of {@code pipeline}, ordered by source and partition. */
    public List<Checkpoint> read(final Connection c, final String pipeline) throws SQLException
    {
        final List<Checkpoint> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source, partition_id, source_id, last_offset, " +
            "journal_index, epoch FROM " + qualifiedTable + " WHERE pipeline = ? ORDER BY source, partition_id"))
        {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery())
            {
                while (rs.next())
                {
                    out.add(new Checkpoint(pipeline, rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6)));
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

    /** Binds (pipeline, source, partition, source id, offset, journal index, epoch), as the dialect's insert takes. */
    private static void bindRow(final PreparedStatement ps, final String pipeline, final String source,
        final int partition, final String sourceId, final long offset, final long journalIndex, final long epoch)
        throws SQLException
    {
        bindKey(ps, 1, pipeline, source, partition);
        ps.setString(4, sourceId);
        ps.setLong(5, offset);
        ps.setLong(6, journalIndex);
        ps.setLong(7, epoch);
    }

    private static void bindKey(final PreparedStatement ps, final int from, final String pipeline, final String source,
        final int partition) throws SQLException
    {
        ps.setString(from, pipeline);
        ps.setString(from + 1, source);
        ps.setInt(from + 2, partition);
    }
}

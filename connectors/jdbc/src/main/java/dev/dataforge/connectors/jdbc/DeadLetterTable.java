package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.deadletter.DeadLetter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Base64;
import java.util.List;

/**
 * {@code dead_letter: {type: sink}} for a SQL sink: the dead letters of each batch go to a table of the sink's
 * database in the batch's own transaction, so a batch and its dead letters commit together or not at all.
 * <pre>
 *   dead_at | pipeline | stage | reason | partition_id | source_offset | original | payload
 * </pre>
 * {@code payload} holds the event as JSON, or, when {@code original} is true (a record the source could not
 * decode), its original bytes in base64.
 */
final class DeadLetterTable
{
    private final JdbcDialect dialect;
    private final String qualifiedTable;

    DeadLetterTable(final JdbcDialect dialect, final String qualifiedTable)
    {
        this.dialect = dialect;
        this.qualifiedTable = qualifiedTable;
    }

    void create(final Connection c) throws SQLException
    {
        final SqlTypes t = dialect.types();
        try (Statement s = c.createStatement())
        {
            s.execute("CREATE TABLE IF NOT EXISTS " + qualifiedTable + " (dead_at " + t.timestamp() + " NOT NULL, " +
                "pipeline " + t.text() + " NOT NULL, stage " + t.text() + " NOT NULL, reason " + t.longText() +
                ", partition_id " + t.integer() + " NOT NULL, source_offset " + t.bigint() + " NOT NULL, " +
                "original " + t.bool() + " NOT NULL, payload " + t.longText() + ")");
        }
    }

    /** Inserts the dead letters in the connection's open transaction. */
    void write(final Connection c, final List<DeadLetter> letters) throws SQLException
    {
        if (letters.isEmpty())
        {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qualifiedTable + " (dead_at, pipeline, " +
            "stage, reason, partition_id, source_offset, original, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"))
        {
            for (final DeadLetter d : letters)
            {
                ps.setTimestamp(1, Timestamp.from(d.time()));
                ps.setString(2, d.pipeline());
                ps.setString(3, d.stage());
                ps.setString(4, d.reason());
                ps.setInt(5, d.partition());
                ps.setLong(6, d.offset());
                ps.setBoolean(7, d.original());
                ps.setString(8, d.original() ? Base64.getEncoder().encodeToString(d.payload()) : d.payloadText());
                ps.executeUpdate();
            }
        }
    }

    String describe()
    {
        return "table " + qualifiedTable;
    }
}

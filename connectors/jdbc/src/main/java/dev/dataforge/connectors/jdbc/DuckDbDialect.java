package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.sink.Sink;

/**
 * DuckDB: its types ({@code TINYINT} to {@code BIGINT}, {@code VARCHAR} without a width) and {@code INSERT OR
 * IGNORE} for new checkpoint rows. Its errors carry no SQLSTATE; {@link JdbcDialect#classify} reads their class from the
 * message.
 */
final class DuckDbDialect implements JdbcDialect
{
    static final DuckDbDialect INSTANCE = new DuckDbDialect();

    private static final SqlTypes TYPES = new SqlTypes(new String[] {"TINYINT", "SMALLINT", "INTEGER", "BIGINT"},
        "DECIMAL(18,%d)", "FLOAT", "DOUBLE", "BOOLEAN", "TIMESTAMP", "VARCHAR", "VARCHAR", "VARCHAR", "current_timestamp",
        "JSON");

    @Override
    public SqlTypes types()
    {
        return TYPES;
    }

    @Override
    public String insertCheckpointIfAbsent(final String qualifiedTable)
    {
        return "INSERT OR IGNORE INTO " + qualifiedTable + " (pipeline, source, partition_id, source_id, " +
            "last_offset, journal_index, epoch, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, current_timestamp)";
    }

    /**
     * A write-write conflict between two transactions (a batch commit and a claim of one of its partitions by
     * recovery, on another connection) aborts one of them: transient, it is tried again.
     */
    @Override
    public Sink.Failure classify(final Exception failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            final String m = String.valueOf(t.getMessage());
            if (m.contains("TransactionContext Error") || m.contains("write-write conflict") ||
                m.contains("Conflict on"))
            {
                return Sink.Failure.TRANSIENT;
            }
        }
        return JdbcDialect.super.classify(failure);
    }
}

package dev.dataforge.connectors.jdbc;

/**
 * DuckDB: its types ({@code TINYINT} to {@code BIGINT}, {@code VARCHAR} without a width) and {@code INSERT OR
 * REPLACE} for checkpoints. Its errors carry no SQLSTATE; {@link JdbcDialect#classify} reads their class from the
 * message.
 */
final class DuckDbDialect implements JdbcDialect
{
    static final DuckDbDialect INSTANCE = new DuckDbDialect();

    private static final SqlTypes TYPES = new SqlTypes(new String[] {"TINYINT", "SMALLINT", "INTEGER", "BIGINT"},
        "DECIMAL(18,%d)", "FLOAT", "DOUBLE", "BOOLEAN", "TIMESTAMP", "VARCHAR", "VARCHAR", "current_timestamp");

    @Override
    public SqlTypes types()
    {
        return TYPES;
    }

    @Override
    public String upsertCheckpoint(final String qualifiedTable)
    {
        return "INSERT OR REPLACE INTO " + qualifiedTable + " (pipeline, source, partition_id, last_offset, " +
            "journal_index, updated_at) VALUES (?, ?, ?, ?, ?, current_timestamp)";
    }
}

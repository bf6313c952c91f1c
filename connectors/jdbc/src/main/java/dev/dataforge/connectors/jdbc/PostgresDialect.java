package dev.dataforge.connectors.jdbc;

/**
 * PostgreSQL: native types ({@code TEXT}, {@code NUMERIC}, ...) and {@code INSERT ... ON CONFLICT DO NOTHING} for new
 * checkpoint rows. No key on the events' table: the checkpoints, not a key, keep a batch from landing twice.
 */
final class PostgresDialect implements JdbcDialect
{
    static final PostgresDialect INSTANCE = new PostgresDialect();

    private static final SqlTypes TYPES = new SqlTypes(new String[] {"SMALLINT", "SMALLINT", "INTEGER", "BIGINT"},
        "NUMERIC(18,%d)", "REAL", "DOUBLE PRECISION", "BOOLEAN", "TIMESTAMP", "TEXT", "TEXT", "TEXT",
        "(now() AT TIME ZONE 'UTC')", "JSONB");

    @Override
    public SqlTypes types()
    {
        return TYPES;
    }

    @Override
    public String insertCheckpointIfAbsent(final String qualifiedTable)
    {
        return "INSERT INTO " + qualifiedTable + " (pipeline, source, partition_id, source_id, last_offset, " +
            "journal_index, epoch) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pipeline, source, partition_id) DO NOTHING";
    }
}

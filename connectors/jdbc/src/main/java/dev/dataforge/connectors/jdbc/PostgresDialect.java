package dev.dataforge.connectors.jdbc;

import dev.dataforge.codec.Field;

import java.util.List;

/**
 * PostgreSQL: native types, a primary key on {@code event_id} so a replayed batch is idempotent
 * ({@code ON CONFLICT DO NOTHING}), and {@code ON CONFLICT DO UPDATE} for checkpoints.
 */
final class PostgresDialect implements JdbcDialect
{
    static final PostgresDialect INSTANCE = new PostgresDialect();

    private static final SqlTypes TYPES = new SqlTypes(new String[] {"SMALLINT", "SMALLINT", "INTEGER", "BIGINT"},
        "NUMERIC(18,%d)", "REAL", "DOUBLE PRECISION", "BOOLEAN", "TIMESTAMP", "TEXT", "TEXT",
        "(now() AT TIME ZONE 'UTC')");

    @Override
    public SqlTypes types()
    {
        return TYPES;
    }

    private static boolean keyed(final List<Field> fields)
    {
        return fields.stream().anyMatch(f -> f.name().equals("event_id"));
    }

    @Override
    public String createTable(final String qualifiedTable, final List<Field> fields)
    {
        final String ddl = JdbcDialect.super.createTable(qualifiedTable, fields);
        return keyed(fields) ? ddl.substring(0, ddl.length() - 1) + ", PRIMARY KEY (\"event_id\"))" : ddl;
    }

    @Override
    public String insert(final String qualifiedTable, final List<Field> fields)
    {
        final String insert = JdbcDialect.super.insert(qualifiedTable, fields);
        return keyed(fields) ? insert + " ON CONFLICT (\"event_id\") DO NOTHING" : insert;
    }

    @Override
    public String upsertCheckpoint(final String qualifiedTable)
    {
        return "INSERT INTO " + qualifiedTable + " (pipeline, source, partition_id, last_offset, journal_index) " +
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (pipeline, source, partition_id) DO UPDATE SET " +
            "last_offset = EXCLUDED.last_offset, journal_index = EXCLUDED.journal_index, " +
            "updated_at = now() AT TIME ZONE 'UTC'";
    }
}

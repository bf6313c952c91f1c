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

    @Override
    public String columnType(final Field field)
    {
        switch (field.type())
        {
            case LONG: return field.length() <= 2 ? "SMALLINT" : field.length() == 4 ? "INTEGER" : "BIGINT";
            case DECIMAL: return "NUMERIC(18," + field.scale() + ")";
            case DOUBLE: return field.length() == 4 ? "REAL" : "DOUBLE PRECISION";
            case BOOLEAN: return "BOOLEAN";
            case TIMESTAMP: return "TIMESTAMP";
            default: return "TEXT";
        }
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
    public String createCheckpointTable(final String qualifiedTable)
    {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedTable + " (pipeline TEXT NOT NULL, source TEXT NOT NULL, " +
            "partition_id INTEGER NOT NULL, last_offset BIGINT NOT NULL, journal_index BIGINT NOT NULL, " +
            "updated_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'), " +
            "PRIMARY KEY (pipeline, source, partition_id))";
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

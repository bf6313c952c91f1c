package dev.dataforge.connectors.snowflake;

import dev.dataforge.codec.Field;
import dev.dataforge.connectors.jdbc.JdbcDialect;
import dev.dataforge.connectors.jdbc.SqlNames;

import java.util.Locale;

/**
 * Snowflake: its types ({@code NUMBER}, {@code TIMESTAMP_NTZ}, ...), identifiers upper-cased before quoting (as
 * Snowflake stores unquoted names, so {@code SELECT user_id FROM user_events} works), and MERGE for checkpoints.
 */
final class SnowflakeDialect implements JdbcDialect
{
    static final SnowflakeDialect INSTANCE = new SnowflakeDialect();

    @Override
    public String columnType(final Field field)
    {
        switch (field.type())
        {
            case LONG: return "NUMBER(19,0)";
            case DECIMAL: return "NUMBER(18," + field.scale() + ")";
            case DOUBLE: return "FLOAT";
            case BOOLEAN: return "BOOLEAN";
            case TIMESTAMP: return "TIMESTAMP_NTZ";
            default: return "VARCHAR(" + field.length() + ")";
        }
    }

    @Override
    public String quote(final String identifier)
    {
        return SqlNames.quote(identifier.toUpperCase(Locale.ROOT));
    }

    @Override
    public String createCheckpointTable(final String qualifiedTable)
    {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedTable + " (PIPELINE VARCHAR NOT NULL, SOURCE VARCHAR NOT " +
            "NULL, PARTITION_ID NUMBER(10,0) NOT NULL, LAST_OFFSET NUMBER(19,0) NOT NULL, JOURNAL_INDEX " +
            "NUMBER(19,0) NOT NULL, UPDATED_AT TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP(), " +
            "PRIMARY KEY (PIPELINE, SOURCE, PARTITION_ID))";
    }
}

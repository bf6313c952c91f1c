package dev.dataforge.connectors.snowflake;

import java.util.List;

import java.util.ArrayList;

import dev.dataforge.codec.FieldType;

import dev.dataforge.codec.Field;

import dev.dataforge.connectors.jdbc.JdbcDialect;
import dev.dataforge.connectors.jdbc.SqlNames;
import dev.dataforge.connectors.jdbc.SqlTypes;
import net.snowflake.client.api.resultset.SnowflakeType;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Locale;

/**
 * Snowflake: its types ({@code NUMBER}, {@code TIMESTAMP_NTZ}, ...), identifiers upper-cased before quoting (as
 * Snowflake stores unquoted names, so {@code SELECT user_id FROM user_events} works), and MERGE for checkpoints.
 */
final class SnowflakeDialect implements JdbcDialect
{
    static final SnowflakeDialect INSTANCE = new SnowflakeDialect();

    private static final SqlTypes TYPES = new SqlTypes(new String[] {"NUMBER(19,0)", "NUMBER(19,0)",
        "NUMBER(19,0)", "NUMBER(19,0)"}, "NUMBER(18,%d)", "FLOAT", "FLOAT", "BOOLEAN", "TIMESTAMP_NTZ", "VARCHAR(%d)",
        "VARCHAR", "VARCHAR", "CURRENT_TIMESTAMP()", "VARIANT");

    @Override
    public SqlTypes types()
    {
        return TYPES;
    }

    /**
     * A json field goes into a {@code VARIANT} column parsed: Snowflake takes {@code PARSE_JSON} in a SELECT, not
     * in VALUES (a VARCHAR bound straight into a VARIANT would be stored as a string, not as the document), so a
     * layout with json fields inserts with {@code INSERT INTO t (...) SELECT ?, PARSE_JSON(?), ...}.
     */
    @Override
    public String insert(final String qualifiedTable, final List<Field> fields)
    {
        if (fields.stream().noneMatch(f -> f.type() == FieldType.JSON))
        {
            return JdbcDialect.super.insert(qualifiedTable, fields);
        }
        final List<String> names = new ArrayList<>();
        final List<String> values = new ArrayList<>();
        for (final Field f : fields)
        {
            names.add(quote(f.name()));
            values.add(f.type() == FieldType.JSON ? "PARSE_JSON(?)" : "?");
        }
        return "INSERT INTO " + qualifiedTable + " (" + String.join(", ", names) + ") SELECT " +
            String.join(", ", values);
    }

    /**
     * Binds the instant as {@code TIMESTAMP_NTZ} epoch nanoseconds, which Snowflake stores as that UTC wall clock. A
     * plain {@code setTimestamp} would be sent as the session's {@code CLIENT_TIMESTAMP_TYPE_MAPPING} (by default
     * {@code TIMESTAMP_LTZ}) and land in the NTZ column shifted to the session's {@code TIMEZONE} (by default
     * America/Los_Angeles), and the driver computes it from the JVM's zone as well.
     */
    @Override
    public void bindTimestamp(final PreparedStatement ps, final int parameter, final long micros)
        throws SQLException
    {
        final Timestamp t = new Timestamp(Math.floorDiv(micros, 1000L));
        t.setNanos((int)Math.floorMod(micros, 1_000_000L) * 1000);
        ps.setObject(parameter, t, SnowflakeType.EXTRA_TYPES_TIMESTAMP_NTZ);
    }

    /**
     * Snowflake's login errors are 3901xx (390100 wrong user or password, 390144 bad JWT, ...), except the session
     * ones a new login cures: 390111 session gone, 390112 and 390114 tokens expired.
     */
    @Override
    public boolean refusesLogin(final Exception failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t instanceof SQLException)
            {
                final int code = ((SQLException)t).getErrorCode();
                if (code >= 390100 && code <= 390199 && code != 390111 && code != 390112 && code != 390114)
                {
                    return true;
                }
            }
        }
        return JdbcDialect.super.refusesLogin(failure);
    }

    @Override
    public String quote(final String identifier)
    {
        return SqlNames.quote(identifier.toUpperCase(Locale.ROOT));
    }
}

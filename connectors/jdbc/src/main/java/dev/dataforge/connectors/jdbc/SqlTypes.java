package dev.dataforge.connectors.jdbc;

import dev.dataforge.codec.Field;

/**
 * A database's names for the column types a sink writes: the one place a dialect maps field types to SQL. A
 * {@code %d} in {@code decimal} takes the scale, in {@code string} the field's width in bytes.
 *
 * @param integers    by width: 1, 2, 4 and 8 bytes.
 * @param text        a string long enough for names (the checkpoint table's keys).
 * @param longText    a string long enough for a whole event as JSON (the dead-letter table's payloads).
 * @param now         the current time as a column default, in UTC.
 * @param json        a JSON document column (PostgreSQL {@code JSONB}, DuckDB {@code JSON}, Snowflake
 *                    {@code VARIANT}); a variable-length string is a {@code longText}.
 */
public record SqlTypes(String[] integers, String decimal, String real, String doublePrecision, String bool,
    String timestamp, String string, String text, String longText, String now, String json)
{
    /** @return the column type of a layout field. */
    public String of(final Field f)
    {
        switch (f.type())
        {
            case LONG: return integers[f.length() == 1 ? 0 : f.length() == 2 ? 1 : f.length() == 4 ? 2 : 3];
            case DECIMAL: return String.format(decimal, f.scale());
            case DOUBLE: return f.length() == 4 ? real : doublePrecision;
            case BOOLEAN: return bool;
            case TIMESTAMP: return timestamp;
            case JSON: return json;
            default:
                if (f.isVariable())
                {
                    return longText;
                }
                return string.contains("%d") ? String.format(string, f.length()) : string;
        }
    }

    /** @return the type of a 4-byte integer column. */
    public String integer()
    {
        return integers[2];
    }

    /** @return the type of an 8-byte integer column. */
    public String bigint()
    {
        return integers[3];
    }

    /** Standard SQL. */
    public static final SqlTypes ANSI = new SqlTypes(new String[] {"SMALLINT", "SMALLINT", "INTEGER", "BIGINT"},
        "DECIMAL(18,%d)", "REAL", "DOUBLE PRECISION", "BOOLEAN", "TIMESTAMP", "VARCHAR(%d)", "VARCHAR(255)",
        "VARCHAR(65535)", "CURRENT_TIMESTAMP", "VARCHAR(65535)");
}

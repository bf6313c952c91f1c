package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.codec.Field;

import java.util.regex.Pattern;

/**
 * SQL identifiers from config: validated, then always double-quoted; values are never spliced into SQL.
 */
public final class SqlNames
{
    private static final Pattern IDENTIFIER = Pattern.compile(
        "[A-Za-z_][A-Za-z0-9_]{0,62}");

    private SqlNames()
    {
    }

    /** @return the option's value as a quoted identifier, or a config error at the option. */
    public static String quoted(final ConfigValues config, final String option, final String value)
    {
        if (!IDENTIFIER.matcher(value).matches())
        {
            throw new ConfigException(config.location(option), config.where() + ": '" + option + "' must be a plain " +
                "SQL name (letters, digits, '_', not starting with a digit, at most 63), not '" + value + "'");
        }
        return quote(value);
    }

    public static String quote(final String identifier)
    {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** @return a table name made from a pipeline name: {@code user-events} becomes {@code user_events}. */
    public static String fromPipelineName(final String pipeline)
    {
        final String s = pipeline.replaceAll("[^A-Za-z0-9_]", "_");
        return Character.isDigit(s.charAt(0)) ? "_" + s : s;
    }

    /** @return a JDBC URL with any {@code user:password@}, {@code password=...} or {@code pwd=...} masked. */
    public static String withoutCredentials(final String url)
    {
        return url.replaceAll("//[^/@]*@", "//***@")
            .replaceAll("(?i)((?:password|pwd|private_key_pwd|private_key_file_pwd)=)[^&;]*", "$1***");
    }
}

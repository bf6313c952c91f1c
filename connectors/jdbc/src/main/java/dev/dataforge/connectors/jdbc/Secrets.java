package dev.dataforge.connectors.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps passwords out of messages: a driver may echo the URL or a property back in its exception text.
 */
public final class Secrets
{
    private Secrets()
    {
    }

    /** The connection attempt of {@link #connect}. */
    @FunctionalInterface
    public interface Attempt
    {
        Connection open() throws SQLException;
    }

    /**
     * Opens a connection; a failure is rethrown with every secret masked in its message (and with the driver's
     * exception as the cause only when that held no secret).
     */
    public static Connection connect(final Attempt attempt, final String url, final String... secrets)
        throws SQLException
    {
        try
        {
            return attempt.open();
        }
        catch (final SQLException e)
        {
            final List<String> all = new ArrayList<>(Arrays.asList(secrets));
            final Matcher inUrl = Pattern.compile(
                "(?i)(?:password|pwd|private_key_pwd|private_key_file_pwd)=([^&;]+)").matcher(url);
            while (inUrl.find())
            {
                all.add(inUrl.group(1));
            }
            final String message = mask(String.valueOf(e.getMessage()), all.toArray(new String[0]));
            final boolean leaked = !message.equals(String.valueOf(e.getMessage()));
            final SQLException clean = new SQLException("cannot connect to " + SqlNames.withoutCredentials(url) +
                ": " + message, e.getSQLState(), e.getErrorCode(), leaked ? null : e);
            throw clean;
        }
    }

    /** @return {@code text} with every non-empty secret replaced by {@code ***}. */
    public static String mask(final String text, final String... secrets)
    {
        String out = text;
        for (final String s : secrets)
        {
            if (s != null && !s.isEmpty())
            {
                out = out.replace(s, "***");
            }
        }
        return out;
    }
}

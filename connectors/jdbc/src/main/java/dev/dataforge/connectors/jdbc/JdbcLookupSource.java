package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.lookup.LookupRows;
import dev.dataforge.api.lookup.LookupSource;
import dev.dataforge.codec.Field;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A lookup read from a SQL database: the rows of a query, at start and then every {@code refresh}, whole or (with
 * {@code incremental_by}) the rows at or above the highest value of that column seen so far, merged by key. Each
 * read streams the rows (fetch size 10,000, in a read-only transaction) and opens its own connection, so a database
 * that went away is simply tried again at the next attempt. A version that holds exactly the rows of the last one is
 * not handed to the engine again.
 */
final class JdbcLookupSource implements LookupSource
{
    private static final int FETCH = 10_000;

    private final String sql;
    private final String what;
    private final Duration refresh;
    private final String url;
    private final Properties credentials;
    private final String key;
    private final Map<String, Field> declared;
    private final String incrementalBy;
    private final boolean required;
    private final String origin;

    private List<String> columns;
    private final BitSet text = new BitSet();
    private LinkedHashMap<String, String[]> rows = new LinkedHashMap<>();
    private Object highWater;
    private LookupRows initial;
    private long nextDueNanos;
    private boolean loadedOnce;

    JdbcLookupSource(final ConfigValues config, final String sql, final String what, final Duration refresh)
    {
        this.sql = sql;
        this.what = what;
        this.refresh = refresh;
        this.url = config.string("url");
        this.credentials = JdbcBatchSink.credentials(config);
        this.key = config.string("key").trim();
        this.declared = LookupRows.declaredColumns(config, "columns");
        this.incrementalBy = config.isSet("incremental_by") ? config.string("incremental_by").trim() : null;
        this.required = config.getBoolean("required");
        this.origin = what + " at " + SqlNames.withoutCredentials(url);
        if (incrementalBy != null && !incrementalBy.matches("[A-Za-z_][A-Za-z0-9_]*"))
        {
            throw new ConfigException(config.location("incremental_by"), config.where() + ": 'incremental_by' must " +
                "be a column name, not '" + incrementalBy + "'");
        }
        if (!required && (!declared.containsKey(key) || declared.size() < 2))
        {
            throw new ConfigException(config.location("required"), config.where() + ": 'required: false' needs " +
                "'columns' to declare every column, the key '" + key + "' too, for a start without the database");
        }
    }

    /** The first read: the rows at start, or (not required) an empty table of the declared columns. */
    void load() throws Exception
    {
        try
        {
            readAll();
            loadedOnce = true;
        }
        catch (final SQLException e)
        {
            if (required)
            {
                throw new IllegalStateException(origin + ": " + clean(e) + " (set required: false to start " +
                    "without it)", null);
            }
            columns = new ArrayList<>(declared.keySet());
            rows = new LinkedHashMap<>();
        }
        initial = snapshot();
        nextDueNanos = System.nanoTime() + (loadedOnce ? refresh.toNanos() : 0);
    }

    @Override
    public LookupRows initial()
    {
        return initial;
    }

    @Override
    public boolean live()
    {
        return !refresh.isZero();
    }

    @Override
    public LookupRows next(final Duration wait) throws Exception
    {
        final long now = System.nanoTime();
        if (now < nextDueNanos)
        {
            Thread.sleep(Math.max(1, Math.min(wait.toMillis(), (nextDueNanos - now) / 1_000_000)));
            return null;
        }
        nextDueNanos = now + refresh.toNanos();
        final boolean changed;
        try
        {
            changed = incrementalBy != null && loadedOnce ? readChanges() : readAll();
        }
        catch (final SQLException e)
        {
            nextDueNanos = now; // the engine backs off; try again as soon as it asks
            throw new SQLException(origin + ": " + clean(e), e.getSQLState());
        }
        loadedOnce = true;
        return changed ? snapshot() : null;
    }

    @Override
    public String describe()
    {
        return origin + (refresh.isZero() ? ", read once" : ", reloaded every " + refresh +
            (incrementalBy != null ? " (rows with " + incrementalBy + " at or above the highest seen)" : ""));
    }

    @Override
    public void close()
    {
    }

    private String clean(final SQLException e)
    {
        return Secrets.mask(String.valueOf(e.getMessage()), credentials.getProperty("password"));
    }

    private Connection connect() throws SQLException
    {
        return Secrets.connect(() -> DriverManager.getConnection(url, credentials), url,
            credentials.getProperty("password"));
    }

    /** Reads every row; @return whether they differ from the rows held. */
    private boolean readAll() throws SQLException
    {
        final LinkedHashMap<String, String[]> all = new LinkedHashMap<>();
        read(sql, null, all);
        final boolean changed = !sameRows(rows, all);
        rows = all;
        return changed;
    }

    /** Reads the rows at or above the high-water mark and merges them by key; @return whether any row changed. */
    private boolean readChanges() throws SQLException
    {
        final LinkedHashMap<String, String[]> changes = new LinkedHashMap<>();
        read("SELECT * FROM (" + sql + ") dataforge_lookup WHERE " + incrementalBy + " >= ?", highWater, changes);
        boolean changed = false;
        for (final Map.Entry<String, String[]> e : changes.entrySet())
        {
            final String[] before = rows.put(e.getKey(), e.getValue());
            changed |= before == null || !Arrays.equals(before, e.getValue());
        }
        return changed;
    }

    private void read(final String statement, final Object above, final Map<String, String[]> into)
        throws SQLException
    {
        try (Connection c = connect())
        {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try
            {
                c.setReadOnly(true); // a hint; DuckDB refuses it on a connection
            }
            catch (final SQLException notSupported)
            {
                // read as it is
            }
            try (PreparedStatement s = c.prepareStatement(statement))
            {
                if (above != null)
                {
                    s.setObject(1, above);
                }
                s.setFetchSize(FETCH);
                try (ResultSet rs = s.executeQuery())
                {
                    readRows(rs, into);
                }
            }
            finally
            {
                c.rollback();
            }
        }
    }

    private void readRows(final ResultSet rs, final Map<String, String[]> into) throws SQLException
    {
        final ResultSetMetaData meta = rs.getMetaData();
        final int n = meta.getColumnCount();
        final List<String> names = new ArrayList<>(n);
        for (int i = 1; i <= n; i++)
        {
            names.add(meta.getColumnLabel(i));
        }
        if (columns == null)
        {
            columns = names;
            for (int i = 1; i <= n; i++)
            {
                if (isText(meta.getColumnType(i)))
                {
                    text.set(i - 1);
                }
            }
        }
        // where each column of the result goes in the rows held (a later read may order them differently)
        final int[] to = new int[n];
        for (int i = 0; i < n; i++)
        {
            to[i] = columns.indexOf(names.get(i));
        }
        final int keyAt = names.indexOf(key);
        final int markAt = incrementalBy == null ? -1 : names.indexOf(incrementalBy);
        if (keyAt < 0)
        {
            throw new SQLException("key column '" + key + "' is not among the columns " + names);
        }
        if (incrementalBy != null && markAt < 0)
        {
            throw new SQLException("incremental_by column '" + incrementalBy + "' is not among the columns " + names);
        }
        int row = 0;
        while (rs.next())
        {
            row++;
            final String[] values = new String[columns.size()];
            for (int i = 0; i < n; i++)
            {
                if (to[i] >= 0)
                {
                    values[to[i]] = rs.getString(i + 1);
                }
            }
            if (markAt >= 0)
            {
                highWater = higher(highWater, rs.getObject(markAt + 1));
            }
            final String k = rs.getString(keyAt + 1);
            // a NULL or duplicate key is reported by the engine with the row: keep it under a key of its own
            into.put(k == null || into.containsKey(k) ? "\0" + row : k, values);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object higher(final Object held, final Object seen)
    {
        if (seen == null)
        {
            return held;
        }
        if (held == null || held.getClass() != seen.getClass() || !(seen instanceof Comparable))
        {
            return held == null ? seen : held;
        }
        return ((Comparable)seen).compareTo(held) > 0 ? seen : held;
    }

    private static boolean isText(final int sqlType)
    {
        return switch (sqlType)
        {
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                Types.CLOB, Types.NCLOB -> true;
            default -> false;
        };
    }

    private static boolean sameRows(final Map<String, String[]> a, final Map<String, String[]> b)
    {
        if (a.size() != b.size())
        {
            return false;
        }
        for (final Map.Entry<String, String[]> e : a.entrySet())
        {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey())))
            {
                return false;
            }
        }
        return true;
    }

    private LookupRows snapshot()
    {
        final LookupRows out = new LookupRows(origin, "column", columns);
        for (int c = text.nextSetBit(0); c >= 0; c = text.nextSetBit(c + 1))
        {
            out.markText(c);
        }
        int line = 0;
        for (final String[] values : rows.values())
        {
            out.add(values, ++line);
        }
        return out.keyedBy(key, declared, 0);
    }
}

package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.sink.Sink;
import dev.dataforge.codec.Field;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;

/**
 * What differs between SQL databases for a batch sink: column types, how the checkpoint row is upserted, and which
 * errors are transient. Identifiers reach a dialect validated (see {@link SqlNames}) and are always quoted here.
 */
public interface JdbcDialect
{
    /** @return the database's names for the column types. */
    SqlTypes types();

    /** @return the column type of a layout field. */
    default String columnType(final Field field)
    {
        return types().of(field);
    }

    /** @return a quoted identifier. */
    default String quote(final String identifier)
    {
        return SqlNames.quote(identifier);
    }

    /**
     * Binds a timestamp given in epoch microseconds (UTC). By default a {@link java.sql.Timestamp} whose wall clock
     * is the UTC one, for a {@code TIMESTAMP} (without time zone) column that holds UTC.
     */
    default void bindTimestamp(final PreparedStatement ps, final int parameter, final long micros)
        throws SQLException
    {
        ps.setTimestamp(parameter, JdbcBatchSink.timestamp(micros));
    }

    /** @return {@code CREATE TABLE IF NOT EXISTS} for the layout's fields. */
    default String createTable(final String qualifiedTable, final List<Field> fields)
    {
        final List<String> columns = new ArrayList<>();
        for (final Field f : fields)
        {
            columns.add(quote(f.name()) + " " + columnType(f));
        }
        return "CREATE TABLE IF NOT EXISTS " + qualifiedTable + " (" + String.join(", ", columns) + ")";
    }

    /** @return a parameterised INSERT of every field, in layout order. */
    default String insert(final String qualifiedTable, final List<Field> fields)
    {
        final List<String> names = new ArrayList<>();
        final List<String> marks = new ArrayList<>();
        for (final Field f : fields)
        {
            names.add(quote(f.name()));
            marks.add("?");
        }
        return "INSERT INTO " + qualifiedTable + " (" + String.join(", ", names) + ") VALUES (" +
            String.join(", ", marks) + ")";
    }

    /**
     * @return an insert of one row of the {@link CheckpointTable} that does nothing when the row exists, with
     * parameters (pipeline, source, partition, source id, offset, journal index, epoch); its update count is 1 when
     * it inserted. By default the SQL:2003 MERGE.
     */
    default String insertCheckpointIfAbsent(final String qualifiedTable)
    {
        return "MERGE INTO " + qualifiedTable + " t USING (SELECT ? AS pipeline, ? AS source, ? AS partition_id, " +
            "? AS source_id, ? AS last_offset, ? AS journal_index, ? AS epoch) s ON t.pipeline = s.pipeline AND " +
            "t.source = s.source AND t.partition_id = s.partition_id WHEN NOT MATCHED THEN INSERT (pipeline, " +
            "source, partition_id, source_id, last_offset, journal_index, epoch, updated_at) VALUES (s.pipeline, " +
            "s.source, s.partition_id, s.source_id, s.last_offset, s.journal_index, s.epoch, " + types().now() + ")";
    }

    /**
     * SQLSTATE classes: 08 connection, 40 transaction rollback (deadlock, serialization), 53 resources, 57 operator
     * intervention, HYT timeout are transient; 22 data and 23 integrity are the row's, as are DuckDB's constraint,
     * conversion and invalid-input errors (it reports no SQLSTATE); the rest is fatal.
     */
    default Sink.Failure classify(final Exception failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t instanceof SQLException && ((SQLException)t).getSQLState() != null)
            {
                final String state = ((SQLException)t).getSQLState();
                if (state.startsWith("08") || state.startsWith("40") || state.startsWith("53") ||
                    state.startsWith("57") || state.startsWith("HYT"))
                {
                    return Sink.Failure.TRANSIENT;
                }
                if (state.startsWith("22") || state.startsWith("23"))
                {
                    return Sink.Failure.ROW;
                }
            }
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException)
            {
                return Sink.Failure.TRANSIENT;
            }
            // DuckDB reports no SQLSTATE; its messages start with the error class
            final String m = String.valueOf(t.getMessage());
            if (m.contains("Constraint Error") || m.contains("Conversion Error") || m.contains("Invalid Input Error"))
            {
                return Sink.Failure.ROW;
            }
        }
        return Sink.Failure.FATAL;
    }

    /**
     * @return true when the database refused the login (bad credentials, unknown user or key): retrying cannot help.
     * By default SQLSTATE class 28 (invalid authorization).
     */
    default boolean refusesLogin(final Exception failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t instanceof SQLInvalidAuthorizationSpecException ||
                t instanceof SQLException && String.valueOf(((SQLException)t).getSQLState()).startsWith("28"))
            {
                return true;
            }
        }
        return false;
    }

    /** Standard SQL. */
    JdbcDialect ANSI = () -> SqlTypes.ANSI;
}

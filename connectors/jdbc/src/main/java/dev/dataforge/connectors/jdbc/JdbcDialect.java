package dev.dataforge.connectors.jdbc;

import dev.dataforge.codec.Field;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What differs between SQL databases for a batch sink: column types, how the checkpoint row is upserted, and which
 * errors are transient. Identifiers reach a dialect validated (see {@link SqlNames}) and are always quoted here.
 */
public interface JdbcDialect
{
    /** @return the column type of a layout field. */
    String columnType(Field field);

    /** @return a quoted identifier. */
    default String quote(final String identifier)
    {
        return SqlNames.quote(identifier);
    }

    /**
     * Binds a timestamp given in epoch microseconds (UTC). By default a {@link java.sql.Timestamp} whose wall clock
     * is the UTC one, for a {@code TIMESTAMP} (without time zone) column that holds UTC.
     */
    default void bindTimestamp(final java.sql.PreparedStatement ps, final int parameter, final long micros)
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

    /** @return the checkpoint table's DDL. */
    default String createCheckpointTable(final String qualifiedTable)
    {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedTable + " (pipeline VARCHAR(255) NOT NULL, " +
            "source VARCHAR(255) NOT NULL, partition_id INTEGER NOT NULL, last_offset BIGINT NOT NULL, " +
            "journal_index BIGINT NOT NULL, PRIMARY KEY (pipeline, source, partition_id))";
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
     * @return an upsert of one checkpoint row with parameters (pipeline, source, partition, offset, journal
     * index); by default the SQL:2003 MERGE.
     */
    default String upsertCheckpoint(final String qualifiedTable)
    {
        return "MERGE INTO " + qualifiedTable + " t USING (SELECT ? AS pipeline, ? AS source, ? AS partition_id, " +
            "? AS last_offset, ? AS journal_index) s ON t.pipeline = s.pipeline AND t.source = s.source AND " +
            "t.partition_id = s.partition_id WHEN MATCHED THEN UPDATE SET last_offset = s.last_offset, " +
            "journal_index = s.journal_index WHEN NOT MATCHED THEN INSERT (pipeline, source, partition_id, " +
            "last_offset, journal_index) VALUES (s.pipeline, s.source, s.partition_id, s.last_offset, " +
            "s.journal_index)";
    }

    /** @return the checkpoints' SELECT with one parameter, the pipeline. */
    default String selectCheckpoints(final String qualifiedTable)
    {
        return "SELECT source, partition_id, last_offset, journal_index FROM " + qualifiedTable +
            " WHERE pipeline = ? ORDER BY source, partition_id";
    }

    /**
     * SQLSTATE classes: 08 connection, 40 transaction rollback (deadlock, serialization), 53 resources, 57 operator
     * intervention, HYT timeout are transient; 22 data and 23 integrity are the row's, as are DuckDB's constraint,
     * conversion and invalid-input errors (it reports no SQLSTATE); the rest is fatal.
     */
    default dev.dataforge.core.spi.Sink.Failure classify(final Exception failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t instanceof SQLException && ((SQLException)t).getSQLState() != null)
            {
                final String state = ((SQLException)t).getSQLState();
                if (state.startsWith("08") || state.startsWith("40") || state.startsWith("53") ||
                    state.startsWith("57") || state.startsWith("HYT"))
                {
                    return dev.dataforge.core.spi.Sink.Failure.TRANSIENT;
                }
                if (state.startsWith("22") || state.startsWith("23"))
                {
                    return dev.dataforge.core.spi.Sink.Failure.ROW;
                }
            }
            if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException)
            {
                return dev.dataforge.core.spi.Sink.Failure.TRANSIENT;
            }
            // DuckDB reports no SQLSTATE; its messages start with the error class
            final String m = String.valueOf(t.getMessage());
            if (m.contains("Constraint Error") || m.contains("Conversion Error") || m.contains("Invalid Input Error"))
            {
                return dev.dataforge.core.spi.Sink.Failure.ROW;
            }
        }
        return dev.dataforge.core.spi.Sink.Failure.FATAL;
    }

    /**
     * @return true when the database refused the login (bad credentials, unknown user or key): retrying cannot help.
     * By default SQLSTATE class 28 (invalid authorization).
     */
    default boolean refusesLogin(final Exception failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t instanceof java.sql.SQLInvalidAuthorizationSpecException ||
                t instanceof SQLException && String.valueOf(((SQLException)t).getSQLState()).startsWith("28"))
            {
                return true;
            }
        }
        return false;
    }

    /** Standard SQL types. */
    JdbcDialect ANSI = field ->
    {
        switch (field.type())
        {
            case LONG: return field.length() <= 2 ? "SMALLINT" : field.length() == 4 ? "INTEGER" : "BIGINT";
            case DECIMAL: return "DECIMAL(18," + field.scale() + ")";
            case DOUBLE: return field.length() == 4 ? "REAL" : "DOUBLE PRECISION";
            case BOOLEAN: return "BOOLEAN";
            case TIMESTAMP: return "TIMESTAMP";
            default: return "VARCHAR(" + field.length() + ")";
        }
    };
}

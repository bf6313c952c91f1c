package dev.dataforge.connectors.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.core.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pipelines run through the command line, as a user runs them, and DuckDB files read back. */
final class PipelineRuns
{
    private PipelineRuns()
    {
    }

    /** Runs {@code file} for {@code events} events; asserts exit 0; @return the run's summary. */
    static JsonNode run(final Path file, final Path summary, final long events) throws Exception
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = Main.execute(new String[] {"run", file.toString(), "--events", Long.toString(events),
            "--summary", summary.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, out + "\n" + err);
        return new ObjectMapper().readTree(summary.toFile());
    }

    /** @return the first column of the first row {@code sql} returns from the DuckDB file {@code db}. */
    static long duckLong(final Path db, final String sql) throws Exception
    {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
            Statement st = c.createStatement();
            ResultSet rs = st.executeQuery(sql))
        {
            rs.next();
            return rs.getLong(1);
        }
    }
}

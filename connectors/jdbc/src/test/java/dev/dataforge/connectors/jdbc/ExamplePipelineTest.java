package dev.dataforge.connectors.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.core.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped example, run through the command line as a user runs it: the DuckDB table ends up holding exactly the
 * delivered events, enriched, and the summary's counts add up.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ExamplePipelineTest
{
    @TempDir
    Path dir;

    @Test
    void theExamplePipelineFillsDuckDbWithExactlyTheDeliveredEvents() throws Exception
    {
        final Path examples = Files.createDirectories(dir.resolve("examples"));
        for (final String f : new String[] {"user-events-generator.yaml", "lookups.yaml", "user_profiles.csv"})
        {
            Files.copy(Path.of("../../examples", f), examples.resolve(f));
        }
        final Path yaml = examples.resolve("user-events-generator.yaml");
        // keep the test off the default Prometheus port, which a running pipeline may hold
        Files.writeString(yaml, Files.readString(yaml) + "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        final Path summary = dir.resolve("s.json");
        final StringWriter err = new StringWriter();
        long delivered = 0;
        for (int run = 0; run < 2; run++)
        {
            final int status = Main.execute(new String[] {"run", yaml.toString(), "--events", "300000", "--summary",
                summary.toString()}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
            assertEquals(0, status, err.toString());
            final JsonNode s = new ObjectMapper().readTree(summary.toFile());
            assertEquals(300000, s.get("events_in").asLong());
            assertEquals(300000, s.get("delivered").asLong() + s.get("filtered").asLong() +
                s.get("dead_letters").asLong());
            assertTrue(s.get("delivered").asLong() > 100000, "about 40% are clicks and purchases: " + s);
            delivered += s.get("delivered").asLong();
        }

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("data/user-events-generator.duckdb"));
            Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT event_id), " +
                "count(*) FILTER (WHERE type NOT IN ('click', 'purchase')), count(tier), " +
                "count(*) FILTER (WHERE user_id % 25 = 0 AND tier IS NOT NULL), max(event_id), " +
                "(SELECT last_offset FROM dataforge_checkpoints WHERE pipeline = 'user-events-generator') " +
                "FROM user_events"))
        {
            rs.next();
            assertEquals(delivered, rs.getLong(1), "rows: the second run continued where the first stopped");
            assertEquals(delivered, rs.getLong(2), "no duplicates");
            assertTrue(rs.getLong(6) > 590_000 && rs.getLong(6) <= 600_000, "the second run's events come after " +
                "the first's: event ids up to " + rs.getLong(6));
            assertEquals(599_999, rs.getLong(7), "the checkpoint is the last of the 600,000 events");
            assertEquals(0, rs.getLong(3), "only clicks and purchases");
            assertTrue(rs.getLong(4) > delivered * 9 / 10, "most events found their profile");
            assertEquals(0, rs.getLong(5), "every 25th user has no profile, so no tier");
        }
    }

    /** The example whose profiles come from a table: it runs on a fresh machine (DuckDB in memory reading the CSV). */
    @Test
    void theDatabaseLookupExampleEnrichesFromTheTable() throws Exception
    {
        final Path examples = Files.createDirectories(dir.resolve("examples"));
        for (final String f : new String[] {"user-events-db-lookup.yaml", "lookups.yaml", "user_profiles.csv"})
        {
            Files.copy(Path.of("../../examples", f), examples.resolve(f));
        }
        final Path yaml = examples.resolve("user-events-db-lookup.yaml");
        // run.sh sets DATAFORGE_HOME; here the copied folder stands for it
        Files.writeString(yaml, Files.readString(yaml).replace("${DATAFORGE_HOME:-.}", dir.toString()) +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        assertEquals(0, Main.execute(new String[] {"validate", yaml.toString()}, new PrintWriter(out, true),
            new PrintWriter(err, true)), err.toString());
        assertTrue(out.toString().contains("lookup profiles_table: 960 rows, key user_id"), out.toString());
        assertEquals(0, Main.execute(new String[] {"run", yaml.toString(), "--events", "50000"},
            new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)), err.toString());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("data/user-events-db-lookup.duckdb"));
            Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT count(*), count(tier), count(*) FILTER (WHERE user_id % 25 = 0 " +
                "AND tier IS NOT NULL) FROM user_events"))
        {
            rs.next();
            assertTrue(rs.getLong(1) > 10_000, "delivered " + rs.getLong(1));
            assertTrue(rs.getLong(2) > rs.getLong(1) * 9 / 10, "most events found their profile in the table");
            assertEquals(0, rs.getLong(3), "every 25th user has no profile, so no tier");
        }
    }
}

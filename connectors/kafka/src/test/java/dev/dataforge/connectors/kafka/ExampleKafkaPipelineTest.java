package dev.dataforge.connectors.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.connectors.kafka.embedded.EmbeddedKafka;
import dev.dataforge.connectors.kafka.embedded.LoadProducer;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped example ({@code examples/user-events.yaml}, what {@code ./run.sh} runs) from Kafka, as a user runs it:
 * with {@code KAFKA_BROKERS} unset on the in-process broker and its load producer, and with it set on a broker of
 * its own; DuckDB ends up holding exactly the delivered events, filtered and enriched.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ExampleKafkaPipelineTest
{
    @TempDir
    Path dir;

    private Path example() throws Exception
    {
        final Path examples = Files.createDirectories(dir.resolve("examples"));
        for (final String f : new String[] {"user-events.yaml", "lookups.yaml", "user_profiles.csv"})
        {
            Files.copy(Path.of("../../examples", f), examples.resolve(f));
        }
        final Path yaml = examples.resolve("user-events.yaml");
        // keep the test off the default Prometheus port, which a running pipeline may hold
        Files.writeString(yaml, Files.readString(yaml) + "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        return yaml;
    }

    private JsonNode run(final Map<String, String> env, final String... args) throws Exception
    {
        final Path summary = dir.resolve("s.json");
        final StringWriter err = new StringWriter();
        final String[] all = new String[args.length + 4];
        all[0] = "run";
        all[1] = example().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        all[args.length + 2] = "--summary";
        all[args.length + 3] = summary.toString();
        final int status = Main.execute(all, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
            env);
        assertEquals(0, status, err.toString());
        return new ObjectMapper().readTree(summary.toFile());
    }

    private void assertDuckDbHolds(final long delivered) throws Exception
    {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("data/user-events.duckdb"));
            Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT event_id), " +
                "count(*) FILTER (WHERE type NOT IN ('click', 'purchase')), count(tier) FROM user_events"))
        {
            rs.next();
            assertEquals(delivered, rs.getLong(1), "rows");
            assertEquals(delivered, rs.getLong(2), "no duplicates");
            assertEquals(0, rs.getLong(3), "only clicks and purchases");
            assertTrue(rs.getLong(4) > delivered * 9 / 10, "most events found their profile");
        }
    }

    @Test
    void withKafkaBrokersUnsetTheExampleRunsOnAnInProcessBroker() throws Exception
    {
        final JsonNode s = run(Map.of(), "--events", "200000");
        final long delivered = s.get("delivered").asLong();
        assertEquals(200000, s.get("events_in").asLong());
        assertEquals(200000, delivered + s.get("filtered").asLong() + s.get("dead_letters").asLong());
        assertTrue(delivered > 60000, "about 40% are clicks and purchases: " + delivered);
        assertDuckDbHolds(delivered);
    }

    @Test
    void withKafkaBrokersSetTheExampleReadsThatCluster() throws Exception
    {
        try (EmbeddedKafka kafka = new EmbeddedKafka())
        {
            kafka.createTopic("user-events", 3);
            TestTopics.produceJson(kafka.bootstrapServers(), "user-events", LoadProducer.settings(7, 50_000));
            final JsonNode s = run(Map.of("KAFKA_BROKERS", kafka.bootstrapServers()), "--idle-exit", "3s");
            assertEquals(50_000, s.get("events_in").asLong());
            assertEquals(50_000, s.get("delivered").asLong() + s.get("filtered").asLong());
            assertDuckDbHolds(s.get("delivered").asLong());
        }
    }
}

package dev.dataforge.connectors.jdbc;

import dev.dataforge.core.cli.Main;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password set in the environment never appears in anything DataForge writes: validate's output, a successful
 * run's output and summary, a failed connection's error, config errors about the secret option, the data files.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecretsNeverLeakTest
{
    private static final String SECRET = "Sup3r-Secr3t-Pa55";
    private static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception
    {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() throws Exception
    {
        postgres.close();
    }

    private record Output(int status, String text)
    {
    }

    private Output cli(final String url, final String... args) throws Exception
    {
        final Path file = dir.resolve("secret.yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: secrets\n" +
            "  source: {type: generator, config: {seed: 1}}\n" +
            "  sink:\n" +
            "    type: postgres\n" +
            "    config:\n" +
            "      url: '" + url + "'\n" +
            "      user: postgres\n" +
            "      password: ${DB_PASSWORD}\n" +
            "  metrics: {prometheus: {enabled: false}, progress: 0s}\n");
        final String[] all = new String[args.length + 1];
        all[0] = args[0];
        all[1] = file.toString();
        System.arraycopy(args, 1, all, 2, args.length - 1);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = Main.execute(all, new PrintWriter(out, true), new PrintWriter(err, true),
            Map.of("DB_PASSWORD", SECRET));
        return new Output(status, out + "\n" + err);
    }

    private void assertNoSecretUnder(final Path root) throws Exception
    {
        try (Stream<Path> files = Files.walk(root))
        {
            for (final Path f : (Iterable<Path>)files.filter(Files::isRegularFile)::iterator)
            {
                final String content = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(content.contains(SECRET), "the secret is in " + f);
            }
        }
    }

    @Test
    void validateShowsTheSecretMasked() throws Exception
    {
        final Output o = cli(postgres.getJdbcUrl("postgres", "postgres"), "validate");
        assertEquals(0, o.status(), o.text());
        assertTrue(o.text().contains("password=***"), o.text());
        assertFalse(o.text().contains(SECRET), o.text());
    }

    @Test
    void validateMasksASecretWrittenInsideTheUrl() throws Exception
    {
        final Output o = cli("jdbc:postgresql://127.0.0.1:1/postgres?password=${DB_PASSWORD}&ssl=false", "validate");
        assertEquals(0, o.status(), o.text());
        assertTrue(o.text().contains("password=***&ssl=false"), o.text());
        assertFalse(o.text().contains(SECRET), o.text());
    }

    @Test
    void aSuccessfulRunNeverWritesTheSecret() throws Exception
    {
        final Path summary = dir.resolve("summary.json");
        final Output o = cli(postgres.getJdbcUrl("postgres", "postgres"), "run", "--events", "2000", "--summary",
            summary.toString());
        assertEquals(0, o.status(), o.text());
        assertFalse(o.text().contains(SECRET), o.text());
        assertNoSecretUnder(dir);
    }

    @Test
    void aFailedConnectionNeverPrintsTheSecretEvenWhenTheUrlHoldsIt() throws Exception
    {
        final Path summary = dir.resolve("summary.json");
        final Output o = cli("jdbc:postgresql://127.0.0.1:1/postgres?password=${DB_PASSWORD}&connectTimeout=2",
            "run", "--events", "10", "--summary", summary.toString());
        assertEquals(1, o.status(), o.text());
        assertTrue(o.text().contains("cannot connect to jdbc:postgresql://127.0.0.1:1/postgres?password=***"),
            o.text());
        assertFalse(o.text().contains(SECRET), o.text());
        assertNoSecretUnder(dir);
    }
}

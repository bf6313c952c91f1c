package dev.dataforge.connectors.snowflake;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.core.config.YamlTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Snowflake sink's SQL, table creation and authentication settings. Talking to the real driver needs a server:
 * see the README for what ran against what.
 */
class SnowflakeSinkTest
{
    @TempDir
    Path dir;

    private ConfigValues config(final String yaml)
    {
        final ConfigNode block = YamlTree.parse("{" + yaml + "}", "sink.yaml", Map.of());
        return new SnowflakeSinkFactory().spec().bind(block, "sink 'snowflake'", dir);
    }

    @Test
    void createsTheTableWithSnowflakeTypesAndUpperCaseNames()
    {
        assertEquals("CREATE TABLE IF NOT EXISTS \"USER_EVENTS\" (\"EVENT_ID\" NUMBER(19,0), \"EVENT_TIME\" " +
            "TIMESTAMP_NTZ, \"USER_ID\" NUMBER(19,0), \"SESSION_ID\" NUMBER(19,0), \"TYPE\" VARCHAR(16), \"PAGE\" " +
            "VARCHAR(64), \"AMOUNT\" NUMBER(18,2), \"CURRENCY\" VARCHAR(3))",
            SnowflakeDialect.INSTANCE.createTable("\"USER_EVENTS\"", SbeLayouts.userEvent().fields()));
        assertEquals("INSERT INTO \"USER_EVENTS\" (\"EVENT_ID\", \"EVENT_TIME\", \"USER_ID\", \"SESSION_ID\", " +
            "\"TYPE\", \"PAGE\", \"AMOUNT\", \"CURRENCY\") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            SnowflakeDialect.INSTANCE.insert("\"USER_EVENTS\"", SbeLayouts.userEvent().fields()));
        final String merge = SnowflakeDialect.INSTANCE.insertCheckpointIfAbsent("\"DATAFORGE_CHECKPOINTS\"");
        assertTrue(merge.startsWith("MERGE INTO \"DATAFORGE_CHECKPOINTS\" t USING (SELECT ? AS pipeline, ? AS " +
            "source, ? AS partition_id, ? AS source_id, ? AS last_offset, ? AS journal_index, ? AS epoch) s"), merge);
        assertEquals(7, merge.chars().filter(c -> c == '?').count(), "every value bound, none spliced");
    }

    @Test
    void passwordAuthenticationFromTheEnvironment() throws Exception
    {
        final SnowflakeSettings s = SnowflakeSettings.resolve(config("warehouse: ANALYTICS_WH, database: EVENTS, " +
            "schema: STREAMING"), Map.of("SNOWFLAKE_ACCOUNT", "myorg-acct1", "SNOWFLAKE_USER", "loader",
            "SNOWFLAKE_PASSWORD", "pw-123", "HOME", dir.toString()));
        s.check();
        assertEquals("jdbc:snowflake://myorg-acct1.snowflakecomputing.com/", s.url());
        final Properties p = s.properties();
        assertEquals("loader", p.getProperty("user"));
        assertEquals("pw-123", p.getProperty("password"));
        assertEquals("ANALYTICS_WH", p.getProperty("warehouse"));
        assertEquals("EVENTS", p.getProperty("db"));
        assertEquals("STREAMING", p.getProperty("schema"));
        assertNull(p.getProperty("authenticator"));
    }

    @Test
    void keyPairAuthenticationAndConfigOverEnvironment() throws Exception
    {
        final SnowflakeSettings s = SnowflakeSettings.resolve(config("user: configured, private_key_file: " +
            "/keys/rsa_key.p8, private_key_passphrase: phrase-9, role: LOADER"), Map.of("SNOWFLAKE_ACCOUNT", "acct",
            "SNOWFLAKE_USER", "from-env", "SNOWFLAKE_PASSWORD", "ignored-pw", "HOME", dir.toString()));
        s.check();
        final Properties p = s.properties();
        assertEquals("configured", p.getProperty("user"));
        assertEquals("SNOWFLAKE_JWT", p.getProperty("authenticator"));
        assertEquals("/keys/rsa_key.p8", p.getProperty("private_key_file"));
        assertEquals("phrase-9", p.getProperty("private_key_pwd"));
        assertNull(p.getProperty("password"), "a key pair wins over a password");
        assertEquals("LOADER", p.getProperty("role"));
    }

    @Test
    void aConnectionFromTheConnectionsFile() throws Exception
    {
        final Path home = Files.createDirectories(dir.resolve(".snowflake"));
        Files.writeString(home.resolve("connections.toml"), "default_connection_name = \"prod\"\n\n" +
            "[dev]\naccount = \"dev-acct\"\nuser = \"dev\"\npassword = \"dev-pw\"\n\n" +
            "[prod]\naccount = \"prod-acct\"  # production\nuser = 'loader'\nprivate_key_path = \"/k/prod.p8\"\n");
        final Map<String, String> env = Map.of("HOME", dir.toString());
        final SnowflakeSettings byDefault = SnowflakeSettings.resolve(config(""), env);
        byDefault.check();
        assertEquals("jdbc:snowflake://prod-acct.snowflakecomputing.com/", byDefault.url());
        assertEquals("/k/prod.p8", byDefault.properties().getProperty("private_key_file"));
        final SnowflakeSettings named = SnowflakeSettings.resolve(config("connection: dev"), env);
        assertEquals("dev-pw", named.properties().getProperty("password"));
        final java.io.IOException missing = assertThrows(java.io.IOException.class,
            () -> SnowflakeSettings.resolve(config("connection: staging"), env));
        assertTrue(missing.getMessage().contains("no connection [staging]"), missing.getMessage());
        assertTrue(missing.getMessage().contains("dev, prod"), missing.getMessage());
    }

    @Test
    void missingCredentialsAreNamedWhenThePipelineStartsNotWhenItIsValidated() throws Exception
    {
        final Map<String, String> env = new HashMap<>(Map.of("HOME", dir.toString()));
        final SnowflakeSinkFactory factory = new SnowflakeSinkFactory(env);
        final ConfigValues values = factory.spec().bind(YamlTree.parse("{warehouse: WH, database: DB, schema: S}",
            "x.yaml", Map.of()), "sink 'snowflake'", dir);
        final Sink sink = factory.create(new ConnectorContext("user-events", SbeLayouts.userEvent(), values, dir));
        assertEquals("snowflake table USER_EVENTS", sink.describe());
        final SQLException e = assertThrows(SQLException.class, sink::open);
        assertEquals("Snowflake credentials missing: account (SNOWFLAKE_ACCOUNT), user (SNOWFLAKE_USER), password " +
            "(SNOWFLAKE_PASSWORD) or a key pair (SNOWFLAKE_PRIVATE_KEY_FILE, SNOWFLAKE_PRIVATE_KEY_PASSPHRASE); set " +
            "them in the environment, in the sink's config, or in a connection of ~/.snowflake/connections.toml",
            e.getMessage());
        sink.close();
    }

    @Test
    void aRefusedConnectionNeverShowsThePassword() throws Exception
    {
        final SnowflakeSinkFactory factory = new SnowflakeSinkFactory(Map.of("SNOWFLAKE_USER", "u",
            "SNOWFLAKE_PASSWORD", "Very-Secret-9", "HOME", dir.toString()));
        final ConfigValues values = factory.spec().bind(YamlTree.parse("{url: 'jdbc:snowflake://127.0.0.1:1/?ssl=" +
            "off&account=x&disablePlatformDetection=true&loginTimeout=2&networkTimeout=2'}", "x.yaml", Map.of()),
            "sink 'snowflake'", dir);
        final Sink sink = factory.create(new ConnectorContext("p", SbeLayouts.userEvent(), values, dir));
        final SQLException e = assertThrows(SQLException.class, sink::open);
        for (Throwable t = e; t != null; t = t.getCause())
        {
            assertFalse(String.valueOf(t.getMessage()).contains("Very-Secret-9"), t.getMessage());
        }
        assertTrue(e.getMessage().startsWith("cannot connect to jdbc:snowflake://127.0.0.1:1/"), e.getMessage());
        sink.close();
    }
}

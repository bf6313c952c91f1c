package dev.dataforge.connectors.snowflake;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.sink.SinkFactory;
import dev.dataforge.connectors.jdbc.JdbcBatchSink;
import dev.dataforge.connectors.jdbc.Secrets;
import dev.dataforge.connectors.jdbc.SqlNames;

import java.io.IOException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.dataforge.api.config.ConfigOption.Type.BOOLEAN;
import static dev.dataforge.api.config.ConfigOption.Type.PATH;
import static dev.dataforge.api.config.ConfigOption.Type.STRING;

/**
 * {@code type: snowflake}: rows into a Snowflake table through the shared JDBC path (batched INSERTs, which the
 * driver sends as one array bind), the checkpoint rows MERGEd in the same transaction (exactly once).
 */
public final class SnowflakeSinkFactory implements SinkFactory
{
    static final String DRIVER = "net.snowflake.client.api.driver.SnowflakeDriver";

    private static final ConfigSpec SPEC = new ConfigSpec("snowflake",
        "Snowflake: batched INSERTs sent as array binds, checkpoints MERGEd in the same transaction (exactly once). " +
        "Credentials come from this block, a connection in ~/.snowflake/connections.toml, or SNOWFLAKE_* " +
        "environment variables, and are checked when the pipeline starts.",
        List.of(
            ConfigOption.of("account", STRING, "account identifier; default SNOWFLAKE_ACCOUNT").example("myorg-acct1"),
            ConfigOption.of("user", STRING, "user; default SNOWFLAKE_USER"),
            ConfigOption.of("password", STRING, "password; default SNOWFLAKE_PASSWORD").secret(),
            ConfigOption.of("private_key_file", STRING, "PKCS#8 private key for key-pair (JWT) authentication; " +
                "default SNOWFLAKE_PRIVATE_KEY_FILE"),
            ConfigOption.of("private_key_passphrase", STRING, "passphrase of an encrypted private key; default " +
                "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE").secret(),
            ConfigOption.of("role", STRING, "role; default SNOWFLAKE_ROLE"),
            ConfigOption.of("warehouse", STRING, "warehouse; default SNOWFLAKE_WAREHOUSE").example("ANALYTICS_WH"),
            ConfigOption.of("database", STRING, "database; default SNOWFLAKE_DATABASE").example("EVENTS"),
            ConfigOption.of("schema", STRING, "schema; default SNOWFLAKE_SCHEMA").example("STREAMING"),
            ConfigOption.of("table", STRING, "table; default: the pipeline name with '-' and '.' as '_', upper-cased"),
            ConfigOption.of("create_table", BOOLEAN, "create the table from the event layout when it does not " +
                "exist").defaultValue("true"),
            ConfigOption.of("checkpoint_table", STRING, "table of the pipelines' checkpoints")
                .defaultValue("DATAFORGE_CHECKPOINTS"),
            ConfigOption.of("connection", STRING, "connection name in the connections file; default its " +
                "default_connection_name"),
            ConfigOption.of("connections_file", PATH, "Snowflake connections file; default " +
                "~/.snowflake/connections.toml"),
            ConfigOption.of("url", STRING, "JDBC URL instead of the account's, e.g. a proxy or a test server")
                .example("jdbc:snowflake://127.0.0.1:8080/?ssl=off&account=x")));

    private final Map<String, String> env;

    public SnowflakeSinkFactory()
    {
        this(System.getenv());
    }

    /** For tests: an environment of their own. */
    public SnowflakeSinkFactory(final Map<String, String> env)
    {
        this.env = env;
    }

    @Override
    public String type()
    {
        return "snowflake";
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    @Override
    public Sink create(final ConnectorContext context)
    {
        final ConfigValues c = context.config();
        final String table = c.isSet("table") ? c.string("table") : SqlNames.fromPipelineName(context.pipelineName());
        SqlNames.quoted(c, "table", table);
        SqlNames.quoted(c, "checkpoint_table", c.string("checkpoint_table"));
        final SnowflakeDialect dialect = SnowflakeDialect.INSTANCE;
        final JdbcBatchSink.Target target = new JdbcBatchSink.Target(dialect.quote(table),
            dialect.quote(c.string("checkpoint_table")), c.getBoolean("create_table"), "snowflake table " +
            table.toUpperCase(Locale.ROOT), "");
        return new JdbcBatchSink(() ->
        {
            final SnowflakeSettings settings;
            try
            {
                settings = SnowflakeSettings.resolve(c, env);
            }
            catch (final IOException e)
            {
                throw new SQLException(e.getMessage(), "08001", e);
            }
            try
            {
                settings.check();
            }
            catch (final IllegalStateException e)
            {
                throw new SQLInvalidAuthorizationSpecException(e.getMessage(), "28000");
            }
            loadDriver();
            return Secrets.connect(() -> DriverManager.getConnection(settings.url(), settings.properties()),
                settings.url(), settings.secrets());
        }, dialect, target, context.layout().fields());
    }

    private static void loadDriver() throws SQLException
    {
        try
        {
            Class.forName(DRIVER);
        }
        catch (final ClassNotFoundException e)
        {
            throw new SQLException("the Snowflake JDBC driver is not on the class path", "08001", e);
        }
    }
}

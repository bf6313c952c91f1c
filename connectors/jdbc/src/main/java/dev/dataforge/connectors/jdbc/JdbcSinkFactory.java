package dev.dataforge.connectors.jdbc;

import dev.dataforge.core.config.ConfigOption;
import dev.dataforge.core.config.ConfigSpec;
import dev.dataforge.core.config.ConfigValues;
import dev.dataforge.core.spi.ConnectorContext;
import dev.dataforge.core.spi.Sink;
import dev.dataforge.core.spi.SinkFactory;

import java.sql.DriverManager;
import java.util.List;
import java.util.Properties;

/**
 * {@code type: jdbc}: any database with a JDBC driver on the class path and SQL MERGE, through batched prepared
 * INSERTs; rows and checkpoints commit in one transaction.
 */
public final class JdbcSinkFactory implements SinkFactory
{
    private static final ConfigSpec SPEC = new ConfigSpec("jdbc",
        "Any SQL database with a JDBC driver on the class path: batched prepared INSERTs, and the checkpoint rows " +
        "upserted with MERGE in the same transaction (exactly once).",
        JdbcBatchSink.tableOptions("jdbc:duckdb:/data/events.duckdb",
            ConfigOption.of("schema", ConfigOption.Type.STRING, "schema of the tables; default: the connection's")));

    @Override
    public String type()
    {
        return "jdbc";
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
        final String url = c.string("url");
        final Properties properties = JdbcBatchSink.credentials(c);
        final String prefix = c.isSet("schema") ? SqlNames.quoted(c, "schema", c.string("schema")) + "." : "";
        final JdbcBatchSink.Target target = JdbcBatchSink.Target.of(context, prefix, "jdbc", url);
        return new JdbcBatchSink(() -> Secrets.connect(() -> DriverManager.getConnection(url, properties), url,
            properties.getProperty("password")), JdbcDialect.ANSI, target, context.layout().fields());
    }
}

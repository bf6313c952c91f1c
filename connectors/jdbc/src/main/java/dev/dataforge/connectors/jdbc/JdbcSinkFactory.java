package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.sink.SinkFactory;

import java.util.Map;

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
        final String prefix = c.isSet("schema") ? SqlNames.quoted(c, "schema", c.string("schema")) + "." : "";
        return new JdbcBatchSink(JdbcBatchSink.connections(c, Map.of()), JdbcDialect.ANSI,
            JdbcBatchSink.Target.of(context, prefix, "jdbc", c.string("url")), context.layout().fields());
    }
}

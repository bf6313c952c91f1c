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
 * {@code type: postgres}: rows into a PostgreSQL table through {@code COPY} into a staging table and one
 * {@code INSERT ... SELECT} idempotent on {@code event_id}, with the checkpoint rows in the same transaction
 * (exactly once).
 */
public final class PostgresSinkFactory implements SinkFactory
{
    private static final ConfigSpec SPEC = new ConfigSpec("postgres",
        "PostgreSQL: COPY into a staging table, then one INSERT idempotent on event_id, with the checkpoints " +
        "upserted in the same transaction " +
        "(exactly once). The table (primary key event_id) is created from the event layout when missing.",
        JdbcBatchSink.tableOptions("jdbc:postgresql://localhost:5432/events",
            ConfigOption.of("schema", ConfigOption.Type.STRING, "schema of the tables").defaultValue("public")));

    @Override
    public String type()
    {
        return "postgres";
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
        properties.setProperty("ApplicationName", "dataforge-" + context.pipelineName());
        final JdbcBatchSink.Target target = JdbcBatchSink.Target.of(context,
            SqlNames.quoted(c, "schema", c.string("schema")) + ".", "postgres", url);
        return new PostgresCopySink(() -> Secrets.connect(() -> DriverManager.getConnection(url, properties), url,
            properties.getProperty("password")), target, context.layout().fields());
    }
}

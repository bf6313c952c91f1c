package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.sink.SinkFactory;

import java.util.Map;

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
        return new PostgresCopySink(JdbcBatchSink.connections(c, Map.of("ApplicationName", "dataforge-" +
            context.pipelineName())), JdbcBatchSink.Target.of(context, SqlNames.quoted(c, "schema",
            c.string("schema")) + ".", "postgres", c.string("url")), context.layout().fields());
    }
}

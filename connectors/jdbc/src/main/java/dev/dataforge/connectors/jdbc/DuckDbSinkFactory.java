package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.sink.Sink;
import dev.dataforge.api.sink.SinkFactory;

import java.util.List;

/**
 * {@code type: duckdb}: rows into a table of an embedded DuckDB database file, through DuckDB's appender, one
 * transaction per batch.
 */
public final class DuckDbSinkFactory implements SinkFactory
{
    private static final ConfigSpec SPEC = new ConfigSpec("duckdb",
        "Writes rows to a table of an embedded DuckDB database file: DuckDB's appender writes each batch straight " +
        "into the table, in one transaction with its checkpoints (exactly once). The table is created from the " +
        "event layout when missing.",
        List.of(
            ConfigOption.of("path", ConfigOption.Type.PATH, "database file, relative to the pipeline file; " +
                "':memory:' for an in-memory database").required().example("../data/events.duckdb"),
            ConfigOption.of("table", ConfigOption.Type.STRING, "table name; default: the pipeline name with " +
                "'-' and '.' as '_'").example("user_events"),
            ConfigOption.of("schema", ConfigOption.Type.STRING, "schema of the table").defaultValue("main"),
            ConfigOption.of("create_table", ConfigOption.Type.BOOLEAN, "create the table from the event layout " +
                "when it does not exist").defaultValue("true"),
            ConfigOption.of("truncate_on_start", ConfigOption.Type.BOOLEAN, "empty the table when the pipeline " +
                "starts (for replayable sources such as the generator)").defaultValue("false"),
            ConfigOption.of("checkpoint_table", ConfigOption.Type.STRING, "table of the pipelines' checkpoints, " +
                "written in the same transaction as each batch").defaultValue("dataforge_checkpoints"),
            ConfigOption.of("checkpoint_wal_size", ConfigOption.Type.SIZE, "DuckDB's write-ahead log is moved into " +
                "the database file (CHECKPOINT) on a thread of the sink's own once it is this long, so that no " +
                "commit waits for it; 0: DuckDB checkpoints inside the commit that crosses its own " +
                "wal_autocheckpoint").defaultValue("64MiB")));

    @Override
    public String type()
    {
        return "duckdb";
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    @Override
    public Sink create(final ConnectorContext context)
    {
        return new DuckDbSink(DuckDbSink.Settings.from(context));
    }
}

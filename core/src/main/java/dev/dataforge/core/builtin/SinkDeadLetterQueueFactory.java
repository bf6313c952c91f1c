package dev.dataforge.core.builtin;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.deadletter.DeadLetterQueue;
import dev.dataforge.api.deadletter.DeadLetterQueueFactory;
import dev.dataforge.api.deadletter.SinkDeadLetters;

import java.util.List;

/**
 * {@code dead_letter: {type: sink}}: dead letters go to the sink's own destination in the transaction of the batch
 * they came from (the SQL sinks write them to a table): exactly once, with the events. A sink that cannot take them
 * is refused when the pipeline starts. They are read with the destination's own tools (SQL), not by
 * {@code ./run.sh dead-letters}.
 */
public final class SinkDeadLetterQueueFactory implements DeadLetterQueueFactory
{
    public static final String TYPE = "sink";

    private static final ConfigSpec SPEC = new ConfigSpec(TYPE,
        "Dead letters in the sink's own destination, in the same transaction as the batch they came from (the SQL " +
        "sinks: duckdb, postgres, jdbc, snowflake write them to a table): exactly once with the events.",
        List.of(ConfigOption.of("table", ConfigOption.Type.STRING, "the table, in the sink's schema")
            .defaultValue(SinkDeadLetters.DEFAULT_TABLE)));

    @Override
    public String type()
    {
        return TYPE;
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    @Override
    public DeadLetterQueue open(final ConnectorContext context)
    {
        return new SinkDeadLetters(context.config().string("table"));
    }

    @Override
    public boolean read(final ConnectorContext context, final Reader reader)
    {
        throw new UnsupportedOperationException("dead letters of type sink live in the sink's destination: read " +
            "them there (for a SQL sink: SELECT * FROM " + context.config().string("table") + ")");
    }
}

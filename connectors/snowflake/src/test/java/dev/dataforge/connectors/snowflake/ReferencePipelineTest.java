package dev.dataforge.connectors.snowflake;

import dev.dataforge.core.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference pipeline, exactly as users write it, validates (credentials are checked only when it runs). */
class ReferencePipelineTest
{
    private static String[] validate(final Map<String, String> env)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = Main.execute(new String[] {"validate", "../../examples/user-events-snowflake.yaml"},
            new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    @Test
    void validatesWithBrokersSet()
    {
        final String[] r = validate(Map.of("KAFKA_BROKERS", "broker-1:9092"));
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("source kafka {brokers=broker-1:9092, topic=user-events, group=dataforge-pipeline}"),
            r[1]);
        assertTrue(r[1].contains("sink snowflake {warehouse=ANALYTICS_WH, database=EVENTS, schema=STREAMING}"), r[1]);
        assertTrue(r[1].contains("enrich.2 with lookup user_profiles"), r[1]);
    }

    @Test
    void namesTheMissingVariable()
    {
        final String[] r = validate(Map.of());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("user-events-snowflake.yaml:10:16: environment variable KAFKA_BROKERS is not set"),
            r[2]);
    }
}

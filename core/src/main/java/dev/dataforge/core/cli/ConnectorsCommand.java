package dev.dataforge.core.cli;

import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.core.pipeline.Connectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code connectors}: the connector reference, generated from each connector's config spec, as Markdown (the
 * README's reference section is this output).
 */
@Command(name = "connectors", mixinStandardHelpOptions = true,
    description = "Prints the reference of every source, lookup, sink and dead-letter queue on the class path, " +
        "as Markdown.")
final class ConnectorsCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final Connectors connectors = new Connectors();
        section(out, "source", specs(connectors.sources(), f -> f.spec()));
        section(out, "lookup", specs(connectors.lookups(), f -> f.spec()));
        section(out, "sink", specs(connectors.sinks(), f -> f.spec()));
        section(out, "dead-letter queue", specs(connectors.deadLetterQueues(), f -> f.spec()));
        return Main.OK;
    }

    private static <F> Map<String, ConfigSpec> specs(
        final Map<String, F> factories, final Function<F, ConfigSpec> spec)
    {
        final Map<String, ConfigSpec> out = new TreeMap<>();
        factories.forEach((type, factory) -> out.put(type, spec.apply(factory)));
        return out;
    }

    static void section(final PrintWriter out, final String kind, final Map<String, ConfigSpec> specs)
    {
        for (final Map.Entry<String, ConfigSpec> e : specs.entrySet())
        {
            final ConfigSpec s = e.getValue();
            out.println("### " + kind + " `" + e.getKey() + "`");
            out.println();
            out.println(s.description());
            out.println();
            if (s.options().isEmpty())
            {
                out.println("No options.");
                out.println();
                continue;
            }
            out.println("| option | type | default | description |");
            out.println("|---|---|---|---|");
            for (final ConfigOption o : s.options())
            {
                out.println("| `" + o.name() + "`" + (o.isRequired() ? " (required)" : "") + " | " +
                    o.typeName().replace("|", "\\|") + " | " + (o.defaultValue() == null ? "" : "`" +
                    o.defaultValue() + "`") + " | " + o.description().replace("|", "\\|") +
                    (o.example() == null ? "" : "; e.g. `" + o.example() + "`") + (o.isSecret() ? " (secret)" : "") +
                    " |");
            }
            out.println();
        }
    }
}

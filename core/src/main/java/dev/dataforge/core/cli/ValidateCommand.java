package dev.dataforge.core.cli;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.codec.Field;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.processing.lookup.LiveLookup;
import dev.dataforge.core.pipeline.SinkPlan;
import dev.dataforge.core.pipeline.TransformPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code validate FILE}: checks a pipeline without connecting to anything, and shows what it would run.
 * Secrets are shown as {@code ***}.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Checks a pipeline file (config, expressions, lookups) without running it; exit 2 on an error.")
final class ValidateCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "FILE", description = "the pipeline YAML file")
    Path file;

    @Spec
    CommandSpec spec;

    /** The environment for {@code ${VAR}} substitution. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PipelinePlan plan;
        try
        {
            plan = PipelineLoading.plan(file, env);
        }
        catch (final ConfigException e)
        {
            spec.commandLine().getErr().println(e.getMessage());
            return Main.BAD_INPUT;
        }
        out.println(file + ": ok");
        out.println("pipeline " + plan.name() + " (" + plan.config().mode() + ")");
        out.println("  source " + plan.sourceFactory().type() + describe(plan.sourceConfig()));
        for (final TransformPlan t : plan.transforms())
        {
            if (t instanceof TransformPlan.Filter)
            {
                out.println("  " + t.name() + " where " + ((TransformPlan.Filter)t).condition().text());
            }
            else if (t instanceof TransformPlan.Route)
            {
                final TransformPlan.Route r = (TransformPlan.Route)t;
                for (int i = 0; i < r.conditions().size(); i++)
                {
                    out.println("  " + t.name() + " to " + sinkNames(plan, r.masks()[i]) + " where " +
                        r.conditions().get(i).text());
                }
                out.println("  " + t.name() + " otherwise " + (r.defaultMask() == 0 ? "filtered" :
                    "to " + sinkNames(plan, r.defaultMask())));
            }
            else
            {
                final TransformPlan.Enrich e = (TransformPlan.Enrich)t;
                out.println("  " + t.name() + " with lookup " + e.lookup() + " (on_miss " +
                    e.onMiss().name().toLowerCase(Locale.ROOT) + ")");
            }
        }
        for (final SinkPlan s : plan.sinks())
        {
            out.println("  sink " + (s.config().named() ? s.name() + ": " : "") + s.factory().type() +
                describe(s.values()));
        }
        final List<String> fields = new ArrayList<>();
        for (final Field f : plan.layout().fields())
        {
            fields.add(f.name() + " " + f.typeDescription());
        }
        out.println("  fields: " + String.join(", ", fields));
        out.println("  record " + plan.layout().recordLength() + " bytes, ring " + plan.config().runtime().ringSize() +
            " slots");
        for (final LiveLookup l : plan.lookups())
        {
            out.println("  lookup " + l.name() + ": " + l.rows() + " rows, key " + l.table().keyColumn().name() +
                " " + l.table().keyColumn().typeDescription() + ", " + l.bytes() + " bytes; " + l.describe());
        }
        plan.close();
        return Main.OK;
    }

    private static String sinkNames(final PipelinePlan plan, final long mask)
    {
        final List<String> names = new ArrayList<>();
        for (final SinkPlan s : plan.sinks())
        {
            if ((mask & s.bit()) != 0)
            {
                names.add(s.name());
            }
        }
        return String.join(", ", names);
    }

    /** @return the value with credentials written inside it (a URL's {@code password=...} or user:pass@) masked. */
    static String maskInline(final String value)
    {
        return value.replaceAll("//[^/@\\s]*@", "//***@")
            .replaceAll("(?i)((?:password|pwd|passphrase|token|secret|private_key_pwd|private_key_file_pwd)=)" +
                "[^&;\\s,}]*", "$1***");
    }

    /** @return {@code  {a=1, password=***}}: the options that are set, secrets masked. */
    static String describe(final ConfigValues values)
    {
        final StringBuilder sb = new StringBuilder();
        for (final ConfigOption o : values.spec().options())
        {
            if (values.isSet(o.name()))
            {
                sb.append(sb.length() == 0 ? " {" : ", ").append(o.name()).append('=')
                    .append(o.isSecret() ? "***" : maskInline(values.node(o.name()).toString()));
            }
        }
        return sb.length() == 0 ? "" : sb.append('}').toString();
    }
}

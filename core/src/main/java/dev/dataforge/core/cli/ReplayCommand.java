package dev.dataforge.core.cli;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.core.config.JournalConfig;
import dev.dataforge.core.config.MetricsConfig;
import dev.dataforge.core.config.PipelineConfig;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.config.SinkConfig;
import dev.dataforge.core.config.SourceConfig;
import dev.dataforge.core.config.YamlTree;
import dev.dataforge.core.logging.Log;
import dev.dataforge.core.pipeline.Connectors;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.pipeline.PipelinePlanner;
import dev.dataforge.core.replay.JournalSourceFactory;
import dev.dataforge.core.runtime.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code replay PIPELINE --sink NAME [--from X] [--to Y] [--into OTHER]}: re-delivers a range of what the pipeline
 * journaled (the events routed to sink NAME) to that sink, or to the sink of another pipeline file, exactly once
 * under a checkpoint of its own ({@code <pipeline>-replay}): run again, it delivers nothing twice.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Re-delivers a range of a pipeline's journal to one of its sinks (or, with --into, to the sink of " +
        "another pipeline file), exactly once with its own checkpoint.")
final class ReplayCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "the journaled pipeline's YAML file")
    Path file;

    @Option(names = "--sink", paramLabel = "NAME", description = "the sink whose events are replayed (and, without " +
        "--into, the sink they go to); may be left out where the pipeline has one sink")
    String sink;

    @Option(names = "--from", paramLabel = "INDEX|TIME", description = "the first entry: a journal index (see " +
        "journal inspect) or an ISO-8601 ingest time")
    String from;

    @Option(names = "--to", paramLabel = "INDEX|TIME", description = "the last entry, likewise (default: the newest)")
    String to;

    @Option(names = "--into", paramLabel = "OTHER", description = "deliver to the sink of this pipeline file instead")
    Path into;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final PipelinePlan plan;
        try
        {
            final Map<String, String> env = System.getenv();
            final PipelineConfig journaled = new PipelineConfigLoader(env).load(file);
            final SinkConfig replayed = pick(journaled, sink, "--sink");
            final PipelineConfig target = into == null ? journaled : new PipelineConfigLoader(env).load(into);
            final SinkConfig destination = into == null ? replayed : pick(target, null, "--into");
            final StringBuilder source = new StringBuilder("pipeline: '").append(quoted(file.toAbsolutePath()))
                .append("'\n");
            if (journaled.sinks().size() > 1 || sink != null)
            {
                source.append("sink: '").append(replayed.name()).append("'\n");
            }
            if (from != null)
            {
                source.append("from: '").append(from).append("'\n");
            }
            if (to != null)
            {
                source.append("to: '").append(to).append("'\n");
            }
            final ConfigNode config = YamlTree.parse(source.toString(), "replay of " + file, env);
            final PipelineConfig replay = new PipelineConfig(target.file(), target.baseDirectory(),
                journaled.name() + "-replay", target.location(), PipelineConfig.BATCH, target.location(),
                new SourceConfig(JournalSourceFactory.TYPE, target.location(), config, target.location()), List.of(),
                List.of(destination), Map.of(), target.runtime(), new MetricsConfig(false, "127.0.0.1", 0,
                Duration.ZERO), destination.deadLetter(), JournalConfig.unset(target.location()));
            plan = new PipelinePlanner(new Connectors()).plan(replay);
        }
        catch (final ConfigException e)
        {
            err.println(e.getMessage());
            return Main.BAD_INPUT;
        }
        final RunCommand run = new RunCommand();
        run.file = into != null ? into : file;
        run.noProgress = true;
        return run.run(plan, RunOptions.unbounded(), Log.Format.TEXT, out, err);
    }

    private static String quoted(final Path p)
    {
        return p.toString().replace("'", "''");
    }

    private static SinkConfig pick(final PipelineConfig config, final String name, final String option)
    {
        if (name == null)
        {
            if (config.sinks().size() == 1)
            {
                return config.sinks().get(0);
            }
            throw new ConfigException(config.location(), option + ": pipeline '" + config.name() + "' has " +
                config.sinks().size() + " sinks; name one with --sink");
        }
        for (final SinkConfig s : config.sinks())
        {
            if (s.name().equals(name))
            {
                return s;
            }
        }
        throw new ConfigException(config.location(), "--sink: pipeline '" + config.name() + "' has no sink '" + name +
            "'");
    }
}

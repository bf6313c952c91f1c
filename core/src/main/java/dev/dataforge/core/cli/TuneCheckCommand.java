package dev.dataforge.core.cli;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.core.config.PipelineConfig;
import dev.dataforge.core.config.PipelineConfigLoader;
import dev.dataforge.core.config.RuntimeConfig;
import dev.dataforge.core.config.StageConfig;
import dev.dataforge.tuning.host.HostFiles;
import dev.dataforge.tuning.host.JvmInfo;
import dev.dataforge.tuning.host.StageLayout;
import dev.dataforge.tuning.host.TuneCheck;
import dev.dataforge.tuning.host.TuneReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tune check [--pipeline FILE]}: is this host ready for a low-latency pipeline? Prints an item per check
 * (status, what was found, why it matters, what to change) and a verdict. Exit 0 ready (nothing fails), 1 not
 * ready, 2 bad input.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Checks this host for a low-latency pipeline: CPUs and isolation, governor and turbo, huge pages, " +
        "NUMA, swap, IRQ affinity, clock source, the JDK and GC; with --pipeline, the pipeline's thread layout.",
        "Exit status: 0 ready (no item fails), 1 not ready, 2 bad input."})
final class TuneCheckCommand implements Callable<Integer>
{
    @Option(names = "--pipeline", paramLabel = "FILE",
        description = "also check this pipeline's runtime.stage_threads, wait and stages.<stage>.cpu against the host")
    Path pipeline;

    /** For tests: the directory read as the host's {@code /} (a fixture tree of /proc and /sys files). */
    @Option(names = "--host-root", hidden = true, paramLabel = "DIR")
    Path hostRoot = Path.of("/");

    @Spec
    CommandSpec spec;

    /** The environment for {@code ${VAR}} substitution in the pipeline file. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call()
    {
        if (!Files.isDirectory(hostRoot))
        {
            spec.commandLine().getErr().println("error: --host-root " + hostRoot + " is not a directory");
            return Main.BAD_INPUT;
        }
        StageLayout layout = null;
        if (pipeline != null)
        {
            try
            {
                layout = layout(new PipelineConfigLoader(env).load(pipeline));
            }
            catch (final ConfigException e)
            {
                spec.commandLine().getErr().println(e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        final TuneReport report = TuneCheck.run(new HostFiles(hostRoot), JvmInfo.current(), layout);
        report.print(spec.commandLine().getOut());
        return report.ready() ? Main.OK : Main.FAILED;
    }

    /** @return the pipeline's thread layout, each stage with where it is written. */
    static StageLayout layout(final PipelineConfig config)
    {
        final RuntimeConfig runtime = config.runtime();
        final Map<String, StageLayout.Stage> stages = new LinkedHashMap<>();
        for (final StageConfig s : runtime.stages().values())
        {
            stages.put(s.name(), new StageLayout.Stage(s.waitStrategy(), s.cpu(), s.location().toString()));
        }
        return new StageLayout(runtime.stageThreads(), runtime.waitStrategy(), runtime.location().toString(), stages);
    }
}

package dev.dataforge.core.cli;

import dev.dataforge.api.CommandProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

/**
 * {@code dataforge}: the command line. With no command it runs the example pipeline.
 * Exit status: 0 done, 1 the pipeline failed while running, 2 bad input (config, expression, command line).
 */
@Command(name = "dataforge", mixinStandardHelpOptions = true, version = "DataForge 0.1.0",
    description = "Runs streaming pipelines declared in YAML. With no command, runs examples/user-events.yaml.",
    subcommands = {RunCommand.class, ValidateCommand.class, ConnectorsCommand.class, DeadLettersCommand.class,
        JournalCommand.class, ReplayCommand.class,
        TuneCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer>
{
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    /** The example pipeline run when no command is given, relative to DATAFORGE_HOME (or the working directory). */
    public static final String DEFAULT_PIPELINE = "examples/user-events.yaml";

    public static void main(final String[] args)
    {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit status, for tests. */
    public static int execute(final String[] args, final PrintWriter out, final PrintWriter err)
    {
        return execute(args, out, err, System.getenv());
    }

    /** Runs the command line with {@code env} as the environment that {@code ${VAR}} reads, for tests. */
    public static int execute(
        final String[] args, final PrintWriter out, final PrintWriter err, final Map<String, String> env)
    {
        final CommandLine cli = new CommandLine(new Main(), new EnvironmentFactory(env));
        for (final CommandProvider p :
            ServiceLoader.load(CommandProvider.class))
        {
            cli.addSubcommand(p.name(), p.command());
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            commandLine.getErr().println("error: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            return FAILED;
        });
        cli.setParameterExceptionHandler((ex, args2) ->
        {
            final CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage());
            c.getErr().println("see '" + c.getCommandSpec().qualifiedName() + " --help'");
            return BAD_INPUT;
        });
        return cli.execute(args);
    }

    /** The environment for {@code ${VAR}} substitution: the process's, or a test's. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception
    {
        final RunCommand run = new RunCommand();
        run.file = Path.of(home(), DEFAULT_PIPELINE);
        run.env = env;
        return run.call();
    }

    /** Gives every command the same environment. */
    private static final class EnvironmentFactory implements CommandLine.IFactory
    {
        private final Map<String, String> env;

        EnvironmentFactory(final Map<String, String> env)
        {
            this.env = env;
        }

        @Override
        public <K> K create(final Class<K> type) throws Exception
        {
            final K made = CommandLine.defaultFactory().create(type);
            if (made instanceof Main)
            {
                ((Main)made).env = env;
            }
            else if (made instanceof RunCommand)
            {
                ((RunCommand)made).env = env;
            }
            else if (made instanceof ValidateCommand)
            {
                ((ValidateCommand)made).env = env;
            }
            else if (made instanceof TuneCheckCommand)
            {
                ((TuneCheckCommand)made).env = env;
            }
            return made;
        }
    }

    static String home()
    {
        final String home = System.getenv("DATAFORGE_HOME");
        return home == null || home.isBlank() ? "." : home;
    }
}

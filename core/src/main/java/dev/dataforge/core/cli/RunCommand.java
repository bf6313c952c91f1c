package dev.dataforge.core.cli;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.core.config.MetricsConfig;
import dev.dataforge.core.logging.Log;
import dev.dataforge.core.metrics.ProgressReporter;
import dev.dataforge.core.metrics.PrometheusExporter;
import dev.dataforge.core.pipeline.PipelinePlan;
import dev.dataforge.core.runtime.Pipeline;
import dev.dataforge.core.runtime.RunOptions;
import dev.dataforge.core.runtime.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code run FILE}: runs a pipeline until its source ends, a limit is reached, or Ctrl-C; then drains, commits and
 * prints the totals.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs a pipeline until its source ends, --events or --duration is reached, or Ctrl-C.")
final class RunCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "FILE", description = "the pipeline YAML file")
    Path file;

    @Option(names = "--events", paramLabel = "N", description = "stop after N source records")
    long events;

    @Option(names = "--duration", paramLabel = "D", description = "stop after this long: 30s, 5m, 1h")
    String duration;

    @Option(names = "--idle-exit", paramLabel = "D", description = "stop when no record has arrived for D: 10s, 1m")
    String idleExit;

    @Option(names = "--summary", paramLabel = "FILE", description = "write a JSON summary of the run to FILE")
    Path summary;

    @Option(names = "--no-progress", description = "do not print the progress line")
    boolean noProgress;

    @Option(names = "--log-format", paramLabel = "FORMAT", description = "text (default) or json: one JSON object " +
        "per log line, for log shippers")
    String logFormat = "text";

    @Option(names = "--library-log", paramLabel = "FILE", description = "where third-party libraries' log lines " +
        "(the embedded broker, Kafka clients, drivers; WARN and above) go: a file (default " +
        "data/<pipeline>/logs/libraries.log under $DATAFORGE_HOME, else beside the pipeline file), or 'console'")
    String libraryLog;

    @Spec
    CommandSpec spec;

    /** The environment for {@code ${VAR}} substitution. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter err = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
        final PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        if (events < 0)
        {
            err.println("error: --events must be 0 or more, not " + events);
            return Main.BAD_INPUT;
        }
        RunOptions options = RunOptions.unbounded().withMaxEvents(events);
        if (duration != null)
        {
            try
            {
                options = options.withDuration(ConfigValues.parseDuration(duration));
            }
            catch (final RuntimeException e)
            {
                err.println("error: --duration must be a duration such as 30s, 5m or 1h, not '" + duration + "'");
                return Main.BAD_INPUT;
            }
        }
        if (idleExit != null)
        {
            try
            {
                options = options.withIdleExit(ConfigValues.parseDuration(idleExit));
            }
            catch (final RuntimeException e)
            {
                err.println("error: --idle-exit must be a duration such as 10s or 1m, not '" + idleExit + "'");
                return Main.BAD_INPUT;
            }
        }
        final Log.Format format;
        try
        {
            format = Log.Format.parse(logFormat);
        }
        catch (final IllegalArgumentException e)
        {
            err.println("error: --log-format: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        final PipelinePlan plan;
        try
        {
            plan = PipelineLoading.plan(file, env);
        }
        catch (final ConfigException e)
        {
            err.println(e.getMessage());
            return Main.BAD_INPUT;
        }
        return run(plan, options, format, out, err);
    }

    /** Runs a planned pipeline (this command's, or one another command made, such as a replay) and reports. */
    int run(final PipelinePlan plan, final RunOptions runOptions, final Log.Format format, final PrintWriter out,
        final PrintWriter err) throws Exception
    {
        final Path libraries = "console".equals(libraryLog) ? null : libraryLog != null ? Path.of(libraryLog) :
            (env.get("DATAFORGE_HOME") != null ? Path.of(env.get("DATAFORGE_HOME")) :
                file.toAbsolutePath().getParent()).resolve("data").resolve(plan.name()).resolve("logs")
                .resolve("libraries.log");
        Log.configure(format, libraries);

        final Pipeline pipeline = new Pipeline(plan, runOptions);
        final CountDownLatch reported = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            // Ctrl-C or SIGTERM: stop the source, let the ring drain and the sink commit, and let the totals print
            pipeline.stop();
            try
            {
                reported.await(runOptions.drainTimeout().toSeconds() + 10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ignored)
            {
                Thread.currentThread().interrupt();
            }
        }, "dataforge-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        try
        {
            return runAndReport(plan, pipeline, hook, out, err);
        }
        finally
        {
            reported.countDown();
            Log.reset(); // the library log is closed; later lines go to the console
        }
    }

    private int runAndReport(
        final PipelinePlan plan, final Pipeline pipeline, final Thread hook, final PrintWriter out,
        final PrintWriter err) throws Exception
    {
        final MetricsConfig metricsConfig = plan.config().metrics();
        PrometheusExporter exporter = null;
        ProgressReporter progress = null;
        final RunResult result;
        try
        {
            if (metricsConfig.prometheusEnabled())
            {
                exporter = PrometheusExporter.start(pipeline.metrics(), metricsConfig.prometheusHost(),
                    metricsConfig.prometheusPort());
            }
            if (!noProgress && !metricsConfig.progressInterval().isZero())
            {
                progress = new ProgressReporter(pipeline.metrics(), metricsConfig.progressInterval(),
                    new PrintStream(System.err, true)).start();
            }
            out.println("running " + plan.name() + (exporter != null ? ", metrics on http://" +
                metricsConfig.prometheusHost() + ":" + exporter.port() + "/metrics (and /health, /ready)" : "") +
                (events > 0 ? ", stopping after " + events + " events" : "") +
                (duration != null ? ", for " + duration : "") + "; Ctrl-C stops");
            result = pipeline.run();
        }
        catch (final ConfigException e)
        {
            // the pipeline cannot run as configured (mode: batch without an end): bad input, not a failure
            err.println(e.getMessage());
            return Main.BAD_INPUT;
        }
        finally
        {
            if (progress != null)
            {
                progress.close();
            }
            if (exporter != null)
            {
                exporter.close();
            }
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // the hook is running: it waits for us
            }
        }

        out.println(String.format(Locale.ROOT,
            "%s: %s after %.1fs: in %,d, delivered %,d, filtered %,d, dead letters %,d; %s events/s; " +
            "e2e latency p50 %s p99 %s p99.9 %s max %s",
            result.pipeline(), result.endReason(), result.elapsedSeconds(), result.eventsIn(), result.delivered(),
            result.filtered(), result.deadLetters(), ProgressReporter.count(result.throughput()),
            pct(result, 50), pct(result, 99), pct(result, 99.9),
            result.endToEndNanos().getTotalCount() == 0 ? "-" :
                ProgressReporter.nanos(result.endToEndNanos().getMaxValue())));
        if (result.sinks().size() > 1)
        {
            for (final RunResult.SinkResult s : result.sinks())
            {
                out.println(String.format(Locale.ROOT, "  sink %s: delivered %,d, filtered %,d, dead letters %,d" +
                    "%s; %s", s.name(), s.delivered(), s.filtered(), s.deadLetters(), s.skipped() > 0 ?
                    String.format(Locale.ROOT, ", skipped %,d (had them already)", s.skipped()) : "", s.sink()));
            }
        }
        for (final RunResult.SinkResult s : result.sinks())
        {
            if (s.deadLetters() > 0)
            {
                out.println("dead letters" + (result.sinks().size() > 1 ? " of sink " + s.name() : "") + ": " +
                    s.deadLetterQueue());
            }
        }
        if (summary != null)
        {
            Summary.write(summary, result, pipeline.metrics());
        }
        if (result.error() != null)
        {
            err.println("error: " + result.error());
            return Main.FAILED;
        }
        return Main.OK;
    }

    private static String pct(final RunResult r, final double p)
    {
        return r.endToEndNanos().getTotalCount() == 0 ? "-" :
            ProgressReporter.nanos(r.endToEndNanos().getValueAtPercentile(p));
    }
}

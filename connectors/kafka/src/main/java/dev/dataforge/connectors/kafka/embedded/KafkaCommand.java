package dev.dataforge.connectors.kafka.embedded;

import dev.dataforge.api.CommandProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./run.sh kafka}: a single-node KRaft broker on its own, for local development and for other tools (the
 * console producer, a pipeline in another terminal) to talk to. Ctrl-C stops it.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
    description = "Runs a single-node Kafka broker (KRaft) in this process and prints its bootstrap address.")
public final class KafkaCommand implements Callable<Integer>
{
    @Option(names = "--port", paramLabel = "P", description = "client port; 0 for any free port (default: " +
        "${DEFAULT-VALUE}). The broker is then reached at localhost:P only (it advertises that address)")
    int port;

    @Option(names = "--data", paramLabel = "DIR", description = "log directory; kept across runs " +
        "(default: a temporary directory, deleted on exit)")
    Path data;

    @Option(names = "--topic", paramLabel = "NAME", description = "topic to create at start " +
        "(default: ${DEFAULT-VALUE})")
    String topic = "user-events";

    @Option(names = "--partitions", paramLabel = "N", description = "partitions of that topic " +
        "(default: ${DEFAULT-VALUE})")
    int partitions = 3;

    @Spec
    CommandSpec spec;

    /** Registers the command with the CLI. */
    public static final class Provider implements CommandProvider
    {
        @Override
        public String name()
        {
            return "kafka";
        }

        @Override
        public Object command()
        {
            return new KafkaCommand();
        }
    }

    @Override
    public Integer call() throws Exception
    {
        if (port < 0 || port > 65_535)
        {
            spec.commandLine().getErr().println("error: --port " + port + " is not a port (0 to 65535)");
            return 2;
        }
        if (data != null)
        {
            Files.createDirectories(data);
        }
        final CountDownLatch stop = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            stop.countDown();
            try
            {
                closed.await(30, TimeUnit.SECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }, "dataforge-kafka-stop"));
        try (EmbeddedKafka kafka = new EmbeddedKafka(data, port))
        {
            kafka.createTopic(topic, partitions);
            spec.commandLine().getOut().println("Kafka broker ready: bootstrap " + kafka.bootstrapServers() +
                " (topic " + topic + ", " + partitions + " partitions" + (data != null ? ", data in " + data : "") +
                "); Ctrl-C stops");
            stop.await();
        }
        finally
        {
            closed.countDown();
        }
        return 0;
    }
}

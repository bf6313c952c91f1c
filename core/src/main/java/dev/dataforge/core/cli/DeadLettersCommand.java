package dev.dataforge.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.config.Location;
import dev.dataforge.api.deadletter.DeadLetter;
import dev.dataforge.api.deadletter.DeadLetterQueueFactory;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.core.builtin.FileDeadLetterQueueFactory;
import dev.dataforge.core.pipeline.Connectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code ./run.sh dead-letters}: counts, lists and shows the entries of any dead-letter queue, read through its
 * connector ({@code file}, {@code kafka}, ...), and re-drives them (a record the source could not decode goes back
 * as its original bytes, any other as its event's JSON) to where a queue of another type lives, such as the
 * source topic.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
    description = "Counts, lists and shows the entries of a dead-letter queue (a FILE, a --dead-letter-topic, or " +
        "any type with --queue and -o), and re-drives them (with --topic, to a Kafka topic).")
final class DeadLettersCommand implements Callable<Integer>
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "ACTION", description = "count | list | show | redrive")
    String action;

    @Parameters(index = "1", paramLabel = "FILE", arity = "0..1", description = "a dead-letter file (JSON lines)")
    Path file;

    @Option(names = "--queue", paramLabel = "TYPE", description = "the dead-letter queue's type, configured with -o")
    String queue;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "an option of the --queue's config " +
        "(see ./run.sh connectors)")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--dead-letter-topic", paramLabel = "T", description = "read the dead-letter topic T (on --brokers): " +
        "short for --queue kafka -o topic=T -o brokers=B")
    String deadLetterTopic;

    @Option(names = "--entry", paramLabel = "N", description = "show: the entry number, from 1")
    int entry = 1;

    @Option(names = "--limit", paramLabel = "N", description = "list: at most N entries (default: ${DEFAULT-VALUE})")
    int limit = 100;

    @Option(names = "--brokers", paramLabel = "B", description = "bootstrap servers of the dead-letter topic, and " +
        "where redrive writes")
    String brokers;

    @Option(names = "--topic", paramLabel = "T", description = "redrive: the Kafka topic to write to (the source " +
        "topic)")
    String topic;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final int given = (file != null ? 1 : 0) + (deadLetterTopic != null ? 1 : 0) + (queue != null ? 1 : 0);
        if (given != 1)
        {
            err.println("error: give one dead-letter queue: a FILE, --dead-letter-topic T (with --brokers), or " +
                "--queue TYPE with its -o options");
            return Main.BAD_INPUT;
        }
        if (deadLetterTopic != null && brokers == null)
        {
            err.println("error: --dead-letter-topic needs --brokers");
            return Main.BAD_INPUT;
        }
        final Connectors connectors = new Connectors();
        final ConnectorContext context;
        final DeadLetterQueueFactory factory;
        try
        {
            final Map<String, String> config = new LinkedHashMap<>();
            final String type;
            if (file != null)
            {
                type = FileDeadLetterQueueFactory.TYPE;
                config.put("path", file.toString());
            }
            else if (deadLetterTopic != null)
            {
                type = "kafka";
                config.put("topic", deadLetterTopic);
                config.put("brokers", brokers);
            }
            else
            {
                type = queue;
                config.putAll(options);
            }
            factory = connectors.deadLetterQueue(type, location());
            context = context(factory, config);
        }
        catch (final ConfigException e)
        {
            err.println("error: " + e.detail());
            return Main.BAD_INPUT;
        }
        switch (action)
        {
            case "count": return count(factory, context, out, err);
            case "list": return list(factory, context, out, err);
            case "show": return show(factory, context, out, err);
            case "redrive": return redrive(connectors, factory, context, out, err);
            default:
                err.println("error: ACTION must be count, list, show or redrive, not '" + action + "'");
                return Main.BAD_INPUT;
        }
    }

    private static Location location()
    {
        return new Location("the command line", 0, 0);
    }

    private static ConnectorContext context(final DeadLetterQueueFactory factory, final Map<String, String> config)
    {
        final ConfigValues values = ConfigValues.defaults(factory.spec(), config);
        return new ConnectorContext("dead-letters", SbeLayouts.userEvent(), values, Path.of("."));
    }

    private String where(final ConnectorContext context)
    {
        return file != null ? file.toString() : deadLetterTopic != null ? "topic " + deadLetterTopic + " on " + brokers :
            queue + " " + context.config().where();
    }

    /** Reads the queue; false (after a message) when there is no such queue. */
    private boolean read(final DeadLetterQueueFactory factory, final ConnectorContext context,
        final PrintWriter err, final DeadLetterQueueFactory.Reader reader) throws Exception
    {
        if (!factory.read(context, reader))
        {
            err.println("error: " + (file != null ? file + ": no such dead-letter file" : "no dead-letter queue " +
                where(context)));
            return false;
        }
        return true;
    }

    private int count(final DeadLetterQueueFactory factory, final ConnectorContext context, final PrintWriter out,
        final PrintWriter err) throws Exception
    {
        final Map<String, Integer> byStage = new TreeMap<>();
        final int[] total = {0};
        if (!read(factory, context, err, d ->
        {
            total[0]++;
            byStage.merge(d.stage() == null ? "?" : d.stage(), 1, Integer::sum);
            return true;
        }))
        {
            return Main.BAD_INPUT;
        }
        out.println(total[0] + " entries" + (byStage.isEmpty() ? "" : " " + byStage));
        return Main.OK;
    }

    private int list(final DeadLetterQueueFactory factory, final ConnectorContext context, final PrintWriter out,
        final PrintWriter err) throws Exception
    {
        final int[] n = {0};
        if (!read(factory, context, err, d ->
        {
            n[0]++;
            out.println(n[0] + "\t" + d.time() + "\t" + d.stage() + "\tpartition " + d.partition() + " offset " +
                d.offset() + "\t" + d.reason());
            return n[0] < limit;
        }))
        {
            return Main.BAD_INPUT;
        }
        return Main.OK;
    }

    private int show(final DeadLetterQueueFactory factory, final ConnectorContext context, final PrintWriter out,
        final PrintWriter err) throws Exception
    {
        final DeadLetter[] found = {null};
        final int[] n = {0};
        if (!read(factory, context, err, d ->
        {
            if (++n[0] == entry)
            {
                found[0] = d;
                return false;
            }
            return true;
        }))
        {
            return Main.BAD_INPUT;
        }
        if (found[0] == null)
        {
            err.println("error: " + where(context) + " has no entry " + entry);
            return Main.BAD_INPUT;
        }
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json(found[0])));
        if (found[0].original())
        {
            out.println("original bytes: " + new String(found[0].payload(), StandardCharsets.UTF_8));
        }
        return Main.OK;
    }

    /** @return the entry as a dead-letter file holds it. */
    private static ObjectNode json(final DeadLetter d) throws IOException
    {
        final ObjectNode e = JSON.createObjectNode();
        e.put("time", d.time().toString());
        e.put("pipeline", d.pipeline());
        e.put("stage", d.stage());
        e.put("reason", d.reason());
        e.put("partition", d.partition());
        e.put("offset", d.offset());
        if (d.original())
        {
            e.put("raw_base64", Base64.getEncoder().encodeToString(d.payload()));
        }
        else
        {
            final JsonNode event = JSON.readTree(d.payload());
            e.set("event", event);
        }
        return e;
    }

    private int redrive(final Connectors connectors, final DeadLetterQueueFactory factory,
        final ConnectorContext context, final PrintWriter out, final PrintWriter err) throws Exception
    {
        if (brokers == null || topic == null)
        {
            err.println("error: redrive needs --brokers and --topic (the Kafka topic to write to)");
            return Main.BAD_INPUT;
        }
        final DeadLetterQueueFactory kafka;
        try
        {
            kafka = connectors.deadLetterQueue("kafka", location());
        }
        catch (final ConfigException e)
        {
            err.println("error: redrive writes to Kafka, and the Kafka connector is not on the class path");
            return Main.BAD_INPUT;
        }
        final Map<String, String> target = new LinkedHashMap<>();
        target.put("topic", topic);
        target.put("brokers", brokers);
        final int[] sent = {0};
        try (DeadLetterQueueFactory.Redrive to = kafka.redrive(context(kafka, target)))
        {
            if (!read(factory, context, err, d ->
            {
                to.send(d.payload());
                sent[0]++;
                return true;
            }))
            {
                return Main.BAD_INPUT;
            }
            out.println("re-drove " + sent[0] + " entries to " + to.describe());
        }
        return Main.OK;
    }
}

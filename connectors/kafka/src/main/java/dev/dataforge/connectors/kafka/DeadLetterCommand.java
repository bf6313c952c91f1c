package dev.dataforge.connectors.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataforge.core.spi.CommandProvider;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code ./run.sh dlq}: inspects a dead-letter file or topic and re-drives its entries to a Kafka topic (a record the
 * source could not decode goes back as its original bytes; any other as its record's JSON).
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
    description = "Counts, lists and shows the entries of a dead-letter file (or, with --dlq-topic, a dead-letter " +
        "topic), and re-drives them to a Kafka topic.")
public final class DeadLetterCommand implements Callable<Integer>
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "ACTION", description = "count | list | show | redrive")
    String action;

    @Parameters(index = "1", paramLabel = "FILE", arity = "0..1", description = "the dead-letter file (JSON lines)")
    Path file;

    @Option(names = "--dlq-topic", paramLabel = "T", description = "read the dead-letter topic T (on --brokers) " +
        "instead of a file")
    String dlqTopic;

    @Option(names = "--entry", paramLabel = "N", description = "show: the entry number, from 1")
    int entry = 1;

    @Option(names = "--limit", paramLabel = "N", description = "list: at most N entries (default: ${DEFAULT-VALUE})")
    int limit = 100;

    @Option(names = "--brokers", paramLabel = "B", description = "bootstrap servers (of the dead-letter topic, and " +
        "where redrive writes)")
    String brokers;

    @Option(names = "--topic", paramLabel = "T", description = "redrive: the topic to write to (the source topic)")
    String topic;

    @Spec
    CommandSpec spec;

    /** Registers the command with the CLI. */
    public static final class Provider implements CommandProvider
    {
        @Override
        public String name()
        {
            return "dlq";
        }

        @Override
        public Object command()
        {
            return new DeadLetterCommand();
        }
    }

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if ((file == null) == (dlqTopic == null))
        {
            err.println("error: give a dead-letter FILE or --dlq-topic T, one of the two");
            return 2;
        }
        if (dlqTopic != null && brokers == null)
        {
            err.println("error: --dlq-topic needs --brokers");
            return 2;
        }
        try
        {
            switch (action)
            {
                case "count": return count(out);
                case "list": return list(out);
                case "show": return show(out, err);
                case "redrive": return redrive(out, err);
                default:
                    err.println("error: ACTION must be count, list, show or redrive, not '" + action + "'");
                    return 2;
            }
        }
        catch (final NoSuchFileException e)
        {
            err.println("error: " + (file != null ? file + ": no such dead-letter file" : "no dead-letter topic " +
                dlqTopic + " on " + brokers));
            return 2;
        }
    }

    /** Calls back with each entry and its 1-based number; a line that is not JSON is an error naming it. */
    private interface EntryHandler
    {
        boolean accept(int number, JsonNode entry) throws Exception;
    }

    private void read(final EntryHandler handler) throws Exception
    {
        if (dlqTopic != null)
        {
            readTopic(handler);
            return;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null)
            {
                if (line.isBlank())
                {
                    continue;
                }
                number++;
                final JsonNode entry;
                try
                {
                    entry = JSON.readTree(line);
                }
                catch (final IOException e)
                {
                    throw new IOException(file + ":" + number + ": not a dead-letter entry: " + e.getMessage());
                }
                if (!handler.accept(number, entry))
                {
                    return;
                }
            }
        }
    }

    /** Reads the dead-letter topic from its start to its end as of now; each record becomes a file-like entry. */
    private void readTopic(final EntryHandler handler) throws Exception
    {
        final Properties p = new Properties();
        p.put("bootstrap.servers", brokers);
        final int[] number = {0};
        if (!KafkaTopics.readAll(p, dlqTopic, r -> handler.accept(++number[0], entry(r))))
        {
            throw new NoSuchFileException(dlqTopic);
        }
    }

    private static JsonNode entry(final org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r)
        throws IOException
    {
        final com.fasterxml.jackson.databind.node.ObjectNode e = JSON.createObjectNode();
        e.put("time", header(r, KafkaDeadLetterQueue.TIME));
        e.put("pipeline", header(r, KafkaDeadLetterQueue.PIPELINE));
        e.put("stage", header(r, KafkaDeadLetterQueue.STAGE));
        e.put("reason", header(r, KafkaDeadLetterQueue.REASON));
        e.put("topic", header(r, KafkaDeadLetterQueue.SOURCE_TOPIC));
        final String partition = header(r, KafkaDeadLetterQueue.SOURCE_PARTITION);
        final String offset = header(r, KafkaDeadLetterQueue.SOURCE_OFFSET);
        e.put("partition", partition == null ? -1 : Integer.parseInt(partition));
        e.put("offset", offset == null ? -1 : Long.parseLong(offset));
        final byte[] value = r.value() == null ? new byte[0] : r.value();
        if ("source".equals(e.path("stage").asText()))
        {
            e.put("raw_base64", Base64.getEncoder().encodeToString(value));
        }
        else
        {
            e.set("record", JSON.readTree(value));
        }
        return e;
    }

    private static String header(final org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r,
        final String key)
    {
        final org.apache.kafka.common.header.Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private int count(final PrintWriter out) throws Exception
    {
        final Map<String, Integer> byStage = new TreeMap<>();
        final int[] total = {0};
        read((n, e) ->
        {
            total[0]++;
            byStage.merge(e.path("stage").asText("?"), 1, Integer::sum);
            return true;
        });
        out.println(total[0] + " entries" + (byStage.isEmpty() ? "" : " " + byStage));
        return 0;
    }

    private int list(final PrintWriter out) throws Exception
    {
        read((n, e) ->
        {
            out.println(n + "\t" + e.path("time").asText() + "\t" + e.path("stage").asText() + "\tpartition " +
                e.path("partition").asText() + " offset " + e.path("offset").asText() + "\t" +
                e.path("reason").asText());
            return n < limit;
        });
        return 0;
    }

    private int show(final PrintWriter out, final PrintWriter err) throws Exception
    {
        final JsonNode[] found = {null};
        read((n, e) ->
        {
            if (n == entry)
            {
                found[0] = e;
                return false;
            }
            return true;
        });
        if (found[0] == null)
        {
            err.println("error: " + (file != null ? file.toString() : "topic " + dlqTopic) + " has no entry " + entry);
            return 2;
        }
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(found[0]));
        if (found[0].has("raw_base64"))
        {
            out.println("original bytes: " + new String(payload(found[0]), StandardCharsets.UTF_8));
        }
        return 0;
    }

    private static byte[] payload(final JsonNode entry) throws IOException
    {
        if (entry.has("raw_base64"))
        {
            return Base64.getDecoder().decode(entry.get("raw_base64").asText());
        }
        return JSON.writeValueAsBytes(entry.get("record"));
    }

    private int redrive(final PrintWriter out, final PrintWriter err) throws Exception
    {
        if (brokers == null || topic == null)
        {
            err.println("error: redrive needs --brokers and --topic");
            return 2;
        }
        final Properties p = new Properties();
        p.put("bootstrap.servers", brokers);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("enable.idempotence", "true");
        final int[] sent = {0};
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p))
        {
            read((n, e) ->
            {
                producer.send(new ProducerRecord<>(topic, payload(e))).get();
                sent[0]++;
                return true;
            });
        }
        out.println("re-drove " + sent[0] + " entries to " + topic);
        return 0;
    }
}

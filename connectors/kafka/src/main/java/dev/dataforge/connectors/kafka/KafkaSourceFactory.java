package dev.dataforge.connectors.kafka;

import dev.dataforge.api.ConnectorContext;
import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.source.Source;
import dev.dataforge.api.source.SourceFactory;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.JsonSchema;
import dev.dataforge.codec.JsonTranscoder;
import dev.dataforge.codec.Names;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.codec.SbeLayouts;
import dev.dataforge.connectors.kafka.embedded.EmbeddedCluster;
import dev.dataforge.connectors.kafka.embedded.LoadProducer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static dev.dataforge.api.config.ConfigOption.Type.DURATION;
import static dev.dataforge.api.config.ConfigOption.Type.LIST;
import static dev.dataforge.api.config.ConfigOption.Type.MAP;
import static dev.dataforge.api.config.ConfigOption.Type.STRING;

/**
 * {@code type: kafka}: records of a topic, JSON objects transcoded into slots or SBE records copied as they are;
 * records that fail go to the dead-letter queue with the reason, never stop the pipeline.
 */
public final class KafkaSourceFactory implements SourceFactory
{
    /** The {@code brokers} value that starts a broker in this process. */
    public static final String EMBEDDED = "embedded";

    private static final ConfigSpec SPEC = new ConfigSpec("kafka",
        "Kafka topic in a consumer group (cooperative-sticky by default); positions are the engine's: each assigned " +
        "partition resumes after its checkpoint in the sink, and the group's offsets are only a lag hint; a full " +
        "ring pauses the partitions. JSON records are transcoded into the event layout, SBE records copied; malformed records are " +
        "dead-lettered with the reason.",
        List.of(
            ConfigOption.of("brokers", STRING, "bootstrap servers, or 'embedded': a single-node broker started in " +
                "this process and fed with generated events").required().example("${KAFKA_BROKERS:-embedded}"),
            ConfigOption.of("embedded_rate", ConfigOption.Type.LONG, "with brokers: embedded, generated events " +
                "per second into the topic (0: as fast as it goes)").defaultValue("100000"),
            ConfigOption.of("embedded_partitions", ConfigOption.Type.INT, "with brokers: embedded, the topic's " +
                "partitions").defaultValue("3"),
            ConfigOption.of("embedded_data", ConfigOption.Type.PATH, "with brokers: embedded, where the broker keeps " +
                "its log across runs; default data/<pipeline>/embedded-kafka beside the pipeline file"),
            ConfigOption.of("topic", LIST, "topic to read, or a list of topics (their partitions are then numbered " +
                "topic index * 1000 + partition in checkpoints and metrics)").required().example("user-events"),
            ConfigOption.of("group", STRING, "consumer group").required().example("dataforge-pipeline"),
            ConfigOption.oneOf("start", "where a partition without a checkpoint in the sink starts: its first " +
                "record or its end", "earliest", "latest").defaultValue("earliest"),
            ConfigOption.oneOf("on_topic_reset", "a checkpoint of a topic since deleted and created again (another " +
                "topic id): stop the pipeline, or read the new topic from its beginning", "fail", "earliest")
                .defaultValue("fail"),
            ConfigOption.oneOf("format", "record value: one UTF-8 JSON object, or the event's SBE layout",
                "json", "sbe").defaultValue("json"),
            ConfigOption.of("schema", STRING, "record schema: 'builtin' (the UserEvent SBE schema), 'auto' " +
                "(JSON: inferred from the first schema_sample records, then locked), or an SBE XML schema file")
                .defaultValue("builtin").example("schemas/events.xml"),
            ConfigOption.of("message", STRING, "with an SBE XML schema, the message whose layout records have; " +
                "default the schema's first message"),
            ConfigOption.of("fields", MAP, "the schema as a field list instead, each 'name: type [required]' with " +
                "type " + JsonSchema.GRAMMAR.replace(", then optionally 'required'", ""))
                .example("{id: long required, at: timestamp required, price: decimal(2), sku: string(32), page: string, " +
                    "payload: json}"),
            ConfigOption.of("schema_sample", ConfigOption.Type.INT, "with schema: auto, how many records to infer " +
                "from").defaultValue("1000"),
            ConfigOption.of("flatten", LIST, "with schema: auto, objects to flatten into a column per member " +
                "(named path.key, e.g. repository.owner.login) instead of one json column: true for every object, " +
                "or their paths").example("[repository, repository.owner]"),
            ConfigOption.of("schema_wait", DURATION, "with schema: auto, how long to wait for the sample")
                .defaultValue("30s"),
            ConfigOption.oneOf("on_new_field", "a JSON field not in the schema: reported once (log and metric), " +
                "then ignored, or the record dead-lettered", "ignore", "dead_letter").defaultValue("ignore"),
            ConfigOption.of("required", LIST, "fields a JSON record must have (not null); default event_id, " +
                "event_time with the built-in schema, the schema's required fields otherwise"),
            ConfigOption.oneOf("decode_on", "where JSON is transcoded: on the process stage (the consumer thread " +
                "only copies each record's bytes into the ring, which gives it the room it needs) or on the consumer " +
                "thread", "process", "source").defaultValue("process"),
            ConfigOption.of("max_record_bytes", ConfigOption.Type.SIZE, "a record larger than this is dead-lettered " +
                "(kept whole) without being parsed").defaultValue("1MiB"),
            ConfigOption.of("poll_timeout", DURATION, "longest wait in one consumer poll").defaultValue("100ms"),
            ConfigOption.of("properties", MAP, "further consumer properties (security.protocol, sasl.*, ssl.*, " +
                "max.poll.records, ...); DataForge's defaults: isolation.level read_committed, max.poll.records 256")
                .example("{security.protocol: SASL_SSL}")));

    @Override
    public String type()
    {
        return "kafka";
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    /** Schemas resolved at planning, reused when the source is created (inference reads the topic once). */
    private final Map<ConfigValues, JsonSchema> schemas = Collections.synchronizedMap(
        new IdentityHashMap<>());

    @Override
    public RecordLayout layout(final ConfigValues c) throws Exception
    {
        return schema(c).layout();
    }

    private JsonSchema schema(final ConfigValues c) throws Exception
    {
        JsonSchema s = schemas.get(c);
        if (s == null)
        {
            s = resolveSchema(c);
            schemas.put(c, s);
        }
        return s;
    }

    private JsonSchema resolveSchema(final ConfigValues c) throws Exception
    {
        final String schema = c.string("schema");
        final boolean sbe = "sbe".equals(c.string("format"));
        if (c.isSet("flatten") && !"auto".equals(schema))
        {
            throw new ConfigException(c.location("flatten"), c.where() + ": flatten applies to schema: auto; in a " +
                "field list, name an object's members by their path instead (fields: {repository.owner.login: " +
                "string})");
        }
        if (c.isSet("fields"))
        {
            if (c.isSet("schema"))
            {
                throw new ConfigException(c.location("fields"), c.where() + ": give the schema either as fields " +
                    "or with schema: " + schema + ", not both");
            }
            final Set<String> required = new LinkedHashSet<>();
            final List<Field> fields = new ArrayList<>();
            for (final Map.Entry<String, ConfigNode> e : c.node("fields").entries().entrySet())
            {
                try
                {
                    fields.add(JsonSchema.field(e.getKey(), e.getValue().text(), required));
                }
                catch (final IllegalArgumentException bad)
                {
                    throw new ConfigException(e.getValue().location(), c.where() + ": " + bad.getMessage());
                }
            }
            if (fields.isEmpty())
            {
                throw new ConfigException(c.location("fields"), c.where() + ": fields lists no field");
            }
            final RecordLayout layout = RecordLayout.of(topics(c), fields, JsonSchema.ENRICHMENT_BYTES);
            try
            {
                new JsonTranscoder(layout, required); // refuses a member of an object that is a field itself
            }
            catch (final IllegalArgumentException bad)
            {
                throw new ConfigException(c.location("fields"), c.where() + ": " + bad.getMessage());
            }
            return new JsonSchema(layout, List.copyOf(required), List.of());
        }
        if ("builtin".equals(schema))
        {
            return new JsonSchema(SbeLayouts.userEvent(), List.of("event_id", "event_time"), List.of());
        }
        if ("auto".equals(schema))
        {
            if (sbe)
            {
                throw new ConfigException(c.location("schema"), c.where() + ": schema: auto infers JSON records; " +
                    "SBE records need their schema (builtin or an SBE XML file)");
            }
            final List<byte[]> sample = sample(c);
            try
            {
                final JsonSchema inferred = JsonSchema.infer(topics(c), sample, flatten(c));
                final Logger log = LoggerFactory.getLogger(KafkaSourceFactory.class);
                log.info("schema of topic {} inferred from {} records and locked: {} (required: {})",
                    topics(c), sample.size(), inferred.layout().fields(), inferred.required());
                inferred.notes().forEach(n -> log.warn("schema of topic {}: {}", topics(c), n));
                return inferred;
            }
            catch (final IllegalArgumentException e)
            {
                throw new ConfigException(c.location("schema"), c.where() + ": schema: auto: " + e.getMessage());
            }
        }
        final Path file = c.path("schema");
        if (!Files.isRegularFile(file))
        {
            throw new ConfigException(c.location("schema"), c.where() + ": schema '" + schema + "' is not " +
                "builtin, auto, or an SBE XML file (" + file + " not found)");
        }
        try
        {
            return new JsonSchema(SbeLayouts.fromFile(file, c.isSet("message") ? c.string("message") : null),
                List.of(), List.of());
        }
        catch (final IllegalArgumentException e)
        {
            throw new ConfigException(c.location(c.isSet("message") ? "message" : "schema"), c.where() + ": " +
                file.getFileName() + ": " + e.getMessage());
        }
    }

    /** @return the topic, or the topics joined with ',' (for names and messages). */
    /** @return which objects {@code flatten} names: all for {@code true}, none when unset or {@code false}. */
    private static java.util.function.Predicate<String> flatten(final ConfigValues c)
    {
        if (!c.isSet("flatten"))
        {
            return path -> false;
        }
        final List<String> paths = c.list("flatten");
        if (paths.size() == 1 && ("true".equals(paths.get(0)) || "false".equals(paths.get(0))))
        {
            final boolean all = "true".equals(paths.get(0));
            return path -> all;
        }
        final java.util.Set<String> named = java.util.Set.copyOf(paths);
        return named::contains;
    }

    static String topics(final ConfigValues c)
    {
        return String.join(",", c.list("topic"));
    }

    /** The records schema: auto infers from: the embedded broker's generated events, or the topic's first ones. */
    private static List<byte[]> sample(final ConfigValues c) throws Exception
    {
        final int n = c.getInt("schema_sample");
        if (EMBEDDED.equals(c.string("brokers")))
        {
            return LoadProducer.sample(n);
        }
        final Properties p = new Properties();
        c.map("properties").forEach(p::setProperty);
        p.setProperty("bootstrap.servers", c.string("brokers"));
        p.setProperty("key.deserializer", ByteArrayDeserializer.class.getName());
        p.setProperty("value.deserializer", ByteArrayDeserializer.class
            .getName());
        p.setProperty("enable.auto.commit", "false");
        p.remove("group.id");
        final List<byte[]> out = new ArrayList<>();
        final long deadline = System.nanoTime() + c.duration("schema_wait").toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(p))
        {
            final List<TopicPartition> parts = new ArrayList<>();
            for (final String topic : c.list("topic"))
            {
                for (final PartitionInfo info : consumer.partitionsFor(topic,
                    c.duration("schema_wait")))
                {
                    parts.add(new TopicPartition(info.topic(), info.partition()));
                }
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (out.size() < n && System.nanoTime() < deadline)
            {
                for (final ConsumerRecord<byte[], byte[]> r :
                    consumer.poll(Duration.ofMillis(200)))
                {
                    if (r.value() != null && out.size() < n)
                    {
                        out.add(r.value());
                    }
                }
            }
        }
        if (out.isEmpty())
        {
            throw new ConfigException(c.location("schema"), c.where() + ": schema: auto found no record in topic " +
                topics(c) + " within " + c.string("schema_wait") + "; produce some first, or give the " +
                "schema as fields");
        }
        return out;
    }

    @Override
    public Source create(final ConnectorContext context) throws Exception
    {
        final ConfigValues c = context.config();
        final JsonSchema schema = schema(c);
        final List<String> required = c.isSet("required") ? c.list("required") : schema.required();
        for (final String field : required)
        {
            if (context.layout().field(field) == null)
            {
                throw new ConfigException(c.location("required"), "source 'kafka': required field '" + field +
                    "' is not an event field" + Names.didYouMean(field,
                    context.layout().fieldNames()));
            }
        }
        final Properties consumer = new Properties();
        for (final Map.Entry<String, String> e : c.map("properties").entrySet())
        {
            consumer.setProperty(e.getKey(), e.getValue());
        }
        consumer.setProperty("group.id", c.string("group"));
        final boolean embedded = EMBEDDED.equals(c.string("brokers"));
        if (embedded && "sbe".equals(c.string("format")))
        {
            throw new ConfigException(c.location("format"), "source 'kafka': the embedded broker is fed JSON; " +
                "use format: json with brokers: embedded");
        }
        final EmbeddedCluster cluster = embedded ? EmbeddedCluster.start(c.list("topic"),
            c.getInt("embedded_partitions"), c.getLong("embedded_rate"), c.isSet("embedded_data") ?
            c.path("embedded_data") : context.baseDirectory().resolve(Path.of("data", context.pipelineName(),
            "embedded-kafka"))) : null;
        consumer.setProperty("bootstrap.servers", embedded ? cluster.bootstrapServers() : c.string("brokers"));
        return new KafkaSource(consumer, c.list("topic"), "sbe".equals(c.string("format")), required,
            c.duration("poll_timeout"), context.layout(), cluster, "dead_letter".equals(c.string("on_new_field")),
            c.size("max_record_bytes"), "process".equals(c.string("decode_on")), "latest".equals(c.string("start")),
            "earliest".equals(c.string("on_topic_reset")));
    }
}

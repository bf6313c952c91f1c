package dev.dataforge.connectors.kafka;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.lookup.LookupFactory;
import dev.dataforge.api.lookup.LookupRows;
import dev.dataforge.api.lookup.LookupSource;
import dev.dataforge.codec.Field;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.dataforge.api.config.ConfigOption.Type.BOOLEAN;
import static dev.dataforge.api.config.ConfigOption.Type.DURATION;
import static dev.dataforge.api.config.ConfigOption.Type.MAP;
import static dev.dataforge.api.config.ConfigOption.Type.STRING;

/**
 * Lookup tables of type {@code kafka}: a compacted topic read whole at start (record key: the lookup key as UTF-8
 * text; value: one JSON object, the row; a null value deletes the key), then followed while the pipeline runs, each
 * batch of changes handed to the engine as a new version at most every {@code refresh}.
 */
public final class KafkaLookupFactory implements LookupFactory
{
    public static final String TYPE = "kafka";

    private static final ConfigSpec SPEC = new ConfigSpec(TYPE, "A compacted Kafka topic as a lookup table: read " +
        "from its start to its end when the pipeline starts, then kept current while events flow. Record key: the " +
        "lookup key (UTF-8 text); value: one JSON object, the row; a null value (tombstone) deletes the key.",
        List.of(
            ConfigOption.of("brokers", STRING, "bootstrap servers").required().example("${KAFKA_BROKERS}"),
            ConfigOption.of("topic", STRING, "the compacted topic (cleanup.policy=compact)").required()
                .example("user-profiles"),
            ConfigOption.of("key", STRING, "the key column's name in the rows; each record's key is its value " +
                "(and wins over a field of that name in the JSON value)").required().example("user_id"),
            ConfigOption.of("columns", MAP, "column types (long, int, double, decimal(S), string(N), boolean, " +
                "timestamp); columns left out are inferred from the records read at start")
                .example("{user_id: long, tier: string(12), lifetime_value: decimal(2)}"),
            ConfigOption.of("catch_up_timeout", DURATION, "the read at start must reach the topic's end (as of " +
                "start) within this").defaultValue("5m"),
            ConfigOption.of("refresh", DURATION, "least time between two versions handed to the enrich stages; " +
                "changes in between are batched").defaultValue("1s"),
            ConfigOption.of("required", BOOLEAN, "the topic must be readable at start; with false, a topic that " +
                "cannot be read starts as an empty table of the declared 'columns' (all of them, the key too) and " +
                "is read as soon as it can be").defaultValue("true"),
            ConfigOption.of("properties", MAP, "further consumer properties (security.protocol, sasl.*, ssl.*, " +
                "max.poll.records, ...)").example("{security.protocol: SASL_SSL}")));

    @Override
    public String type()
    {
        return TYPE;
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    @Override
    public LookupRows load(final String name, final ConfigValues config, final Path baseDirectory) throws Exception
    {
        try (LookupSource source = open(name, config, baseDirectory))
        {
            return source.initial();
        }
    }

    @Override
    public KafkaLookupSource open(final String name, final ConfigValues config, final Path baseDirectory)
        throws Exception
    {
        final String brokers = config.string("brokers").trim();
        if (brokers.isEmpty() || KafkaSourceFactory.EMBEDDED.equals(brokers))
        {
            throw new ConfigException(config.location("brokers"), config.where() + ": 'brokers' must name the " +
                "bootstrap servers of the cluster holding the topic" + (brokers.isEmpty() ? "" : " (the embedded " +
                "broker is for sources only)"));
        }
        final String topic = config.string("topic").trim();
        if (topic.isEmpty())
        {
            throw new ConfigException(config.location("topic"), config.where() + ": 'topic' is empty");
        }
        final String key = config.string("key").trim();
        if (key.isEmpty())
        {
            throw new ConfigException(config.location("key"), config.where() + ": 'key' is empty; name the key " +
                "column, e.g. user_id");
        }
        final Map<String, Field> declared = LookupRows.declaredColumns(config, "columns");
        final boolean required = config.getBoolean("required");
        if (!required && !declared.containsKey(key))
        {
            throw new ConfigException(config.location(config.isSet("columns") ? "columns" : "required"),
                config.where() + ": with 'required: false' the table may start empty, so 'columns' must declare " +
                "all its columns with their types, the key '" + key + "' included (e.g. {" + key + ": long, " +
                "tier: string(12)})");
        }
        final Duration catchUp = config.duration("catch_up_timeout");
        if (catchUp.isZero() || catchUp.isNegative())
        {
            throw new ConfigException(config.location("catch_up_timeout"), config.where() + ": " +
                "'catch_up_timeout' must be more than 0");
        }
        final Duration refresh = config.duration("refresh");
        if (refresh.isNegative())
        {
            throw new ConfigException(config.location("refresh"), config.where() + ": 'refresh' must not be " +
                "negative");
        }
        final Properties properties = new Properties();
        config.map("properties").forEach(properties::setProperty);
        if (properties.containsKey("group.id"))
        {
            throw new ConfigException(config.location("properties"), config.where() + ": 'properties' sets " +
                "group.id, but a lookup reads every partition itself, in no consumer group; leave it out");
        }
        properties.setProperty("bootstrap.servers", brokers);
        return KafkaLookupSource.open(new KafkaLookupSource.Settings(name, brokers, topic, key, declared, catchUp,
            refresh, config.string("refresh").trim(), required, properties));
    }
}

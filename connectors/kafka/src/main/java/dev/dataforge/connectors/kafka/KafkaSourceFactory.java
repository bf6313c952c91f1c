package dev.dataforge.connectors.kafka;

import dev.dataforge.core.config.ConfigException;
import dev.dataforge.core.config.ConfigOption;
import dev.dataforge.core.config.ConfigSpec;
import dev.dataforge.core.config.ConfigValues;
import dev.dataforge.core.spi.ConnectorContext;
import dev.dataforge.core.spi.Source;
import dev.dataforge.core.spi.SourceFactory;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.dataforge.core.config.ConfigOption.Type.DURATION;
import static dev.dataforge.core.config.ConfigOption.Type.LIST;
import static dev.dataforge.core.config.ConfigOption.Type.MAP;
import static dev.dataforge.core.config.ConfigOption.Type.STRING;

/**
 * {@code type: kafka}: records of a topic, JSON objects transcoded into slots or SBE records copied as they are;
 * records that fail go to the dead-letter queue with the reason, never stop the pipeline.
 */
public final class KafkaSourceFactory implements SourceFactory
{
    /** The {@code brokers} value that starts a broker in this process. */
    public static final String EMBEDDED = "embedded";

    private static final ConfigSpec SPEC = new ConfigSpec("kafka",
        "Kafka topic in a consumer group; no auto-commit (positions are the engine's); a full ring pauses the " +
        "partitions. JSON records are transcoded into the event layout, SBE records copied; malformed records are " +
        "dead-lettered with the reason.",
        List.of(
            ConfigOption.of("brokers", STRING, "bootstrap servers, or 'embedded': a single-node broker started in " +
                "this process and fed with generated events").required().example("${KAFKA_BROKERS:-embedded}"),
            ConfigOption.of("embedded_rate", ConfigOption.Type.LONG, "with brokers: embedded, generated events " +
                "per second into the topic (0: as fast as it goes)").defaultValue("100000"),
            ConfigOption.of("embedded_partitions", ConfigOption.Type.INT, "with brokers: embedded, the topic's " +
                "partitions").defaultValue("3"),
            ConfigOption.of("topic", STRING, "topic to read").required().example("user-events"),
            ConfigOption.of("group", STRING, "consumer group").required().example("dataforge-pipeline"),
            ConfigOption.oneOf("format", "record value: one UTF-8 JSON object, or the event's SBE layout",
                "json", "sbe").defaultValue("json"),
            ConfigOption.of("required", LIST, "fields a JSON record must have (not null)")
                .defaultValue("event_id, event_time"),
            ConfigOption.of("poll_timeout", DURATION, "longest wait in one consumer poll").defaultValue("100ms"),
            ConfigOption.of("properties", MAP, "further consumer properties (security.protocol, sasl.*, ssl.*, " +
                "max.poll.records, ...)").example("{security.protocol: SASL_SSL}")));

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

    @Override
    public Source create(final ConnectorContext context)
    {
        final ConfigValues c = context.config();
        for (final String field : c.list("required"))
        {
            if (context.layout().field(field) == null)
            {
                throw new ConfigException(c.location("required"), "source 'kafka': required field '" + field +
                    "' is not an event field" + dev.dataforge.codec.Names.didYouMean(field,
                    context.layout().fieldNames()));
            }
        }
        final Properties consumer = new Properties();
        for (final Map.Entry<String, String> e : c.map("properties").entrySet())
        {
            consumer.setProperty(e.getKey(), e.getValue());
        }
        consumer.setProperty("bootstrap.servers", c.string("brokers"));
        consumer.setProperty("group.id", c.string("group"));
        final KafkaSource.Embedded embedded = EMBEDDED.equals(c.string("brokers")) ?
            new KafkaSource.Embedded(c.getLong("embedded_rate"), c.getInt("embedded_partitions")) : null;
        if (embedded != null && "sbe".equals(c.string("format")))
        {
            throw new ConfigException(c.location("format"), "source 'kafka': the embedded broker is fed JSON; " +
                "use format: json with brokers: embedded");
        }
        return new KafkaSource(consumer, c.string("topic"), "sbe".equals(c.string("format")), c.list("required"),
            c.duration("poll_timeout"), context.layout(), embedded, context.pipelineName());
    }
}

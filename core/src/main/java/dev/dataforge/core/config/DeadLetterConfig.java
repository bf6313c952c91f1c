package dev.dataforge.core.config;

/**
 * Where a pipeline's dead letters go: {@code type: file} (JSON lines at {@code path}) or {@code type: kafka} (a
 * topic; {@code topic}, {@code brokers} and producer {@code properties}, defaulting to the Kafka source's).
 */
public record DeadLetterConfig(String type, java.nio.file.Path path, String topic, String brokers,
    java.util.Map<String, String> properties, Location location)
{
    public DeadLetterConfig(final String type, final java.nio.file.Path path, final Location location)
    {
        this(type, path, null, null, java.util.Map.of(), location);
    }
}

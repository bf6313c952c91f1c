package dev.dataforge.core.config;
import java.nio.file.Path; import java.util.List; import java.util.Map;
public record PipelineConfig(Path file, Path baseDirectory, String name, Location location, String mode,
    SourceConfig source, List<TransformConfig> transforms, SinkConfig sink, Map<String, LookupConfig> lookups,
    RuntimeConfig runtime, MetricsConfig metrics, DeadLetterConfig deadLetter) {}

package dev.dataforge.core.config;

import dev.dataforge.api.config.Location;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A pipeline file, loaded and checked, with every connector's {@code config:} block still to bind to its spec.
 *
 * @param mode         {@link #REAL_TIME} (runs until stopped) or {@link #BATCH} (ends once the source has read what
 *                     there was when it started).
 * @param modeLocation where {@code mode} was written (the pipeline's location when it was not).
 * @param sinks        the single {@code sink:}, or the {@code sinks:} in the order written.
 */
public record PipelineConfig(Path file, Path baseDirectory, String name, Location location, String mode,
    Location modeLocation, SourceConfig source, List<TransformConfig> transforms, List<SinkConfig> sinks,
    Map<String, LookupConfig> lookups, RuntimeConfig runtime, MetricsConfig metrics, DeadLetterConfig deadLetter,
    JournalConfig journal)
{
    public static final String REAL_TIME = "real-time";
    public static final String BATCH = "batch";

    /** @return true for {@code mode: batch}: a bounded run that ends when the source is drained. */
    public boolean batch()
    {
        return BATCH.equals(mode);
    }
}

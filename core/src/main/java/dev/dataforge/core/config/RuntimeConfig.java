package dev.dataforge.core.config;
import java.util.Map;
public record RuntimeConfig(int ringSize, String waitStrategy, Map<String, StageConfig> stages, Location location) {}

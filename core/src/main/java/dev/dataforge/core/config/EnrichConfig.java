package dev.dataforge.core.config;
import java.util.List;
public record EnrichConfig(Location location, String lookup, ConfigNode lookupNode, String key, ConfigNode keyNode,
    List<String> select, ConfigNode selectNode, String prefix, OnMiss onMiss) implements TransformConfig {}

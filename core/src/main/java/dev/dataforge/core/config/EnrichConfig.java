package dev.dataforge.core.config;

import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.Location;

import java.util.List;

public record EnrichConfig(Location location, String lookup, ConfigNode lookupNode, String key, ConfigNode keyNode,
    List<String> select, ConfigNode selectNode, String prefix, OnMiss onMiss) implements TransformConfig {}

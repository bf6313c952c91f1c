package dev.dataforge.core.config;

import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.Location;

public record FilterConfig(Location location, String condition, ConfigNode conditionNode) implements TransformConfig {}

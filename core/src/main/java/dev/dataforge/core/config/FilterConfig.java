package dev.dataforge.core.config;
public record FilterConfig(Location location, String condition, ConfigNode conditionNode) implements TransformConfig {}

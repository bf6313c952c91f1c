package dev.dataforge.core.config;
public record SinkConfig(String type, Location typeLocation, ConfigNode config, Location location, BatchConfig batch) {}

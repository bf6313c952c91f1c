package dev.dataforge.core.config;
public record SourceConfig(String type, Location typeLocation, ConfigNode config, Location location) {}

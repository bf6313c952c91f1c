package dev.dataforge.core.config;
public record LookupConfig(String name, Location location, String type, Location typeLocation, ConfigNode config) {}

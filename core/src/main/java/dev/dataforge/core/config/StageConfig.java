package dev.dataforge.core.config;
public record StageConfig(String name, String waitStrategy, Integer cpu, Location location) {}

package dev.dataforge.core.config;

import dev.dataforge.api.config.Location;

public record StageConfig(String name, String waitStrategy, Integer cpu, Location location) {}

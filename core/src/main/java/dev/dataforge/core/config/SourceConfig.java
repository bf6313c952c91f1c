package dev.dataforge.core.config;

import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.Location;

public record SourceConfig(String type, Location typeLocation, ConfigNode config, Location location) {}

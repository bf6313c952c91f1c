package dev.dataforge.core.config;

import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.Location;

public record LookupConfig(String name, Location location, String type, Location typeLocation, ConfigNode config) {}

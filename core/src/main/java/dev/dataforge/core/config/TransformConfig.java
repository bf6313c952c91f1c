package dev.dataforge.core.config;

import dev.dataforge.api.config.Location;

public sealed interface TransformConfig permits FilterConfig, EnrichConfig, RouteConfig { Location location(); }

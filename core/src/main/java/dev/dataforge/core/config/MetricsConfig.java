package dev.dataforge.core.config;

import java.time.Duration;

public record MetricsConfig(boolean prometheusEnabled, String prometheusHost, int prometheusPort, Duration progressInterval) {}

package dev.dataforge.core.config;
public record MetricsConfig(boolean prometheusEnabled, String prometheusHost, int prometheusPort, java.time.Duration progressInterval) {}

package dev.dataforge.core.config;
public record BatchConfig(int maxRows, long maxBytes, java.time.Duration linger) {}

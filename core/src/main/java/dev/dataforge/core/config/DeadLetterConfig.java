package dev.dataforge.core.config;
public record DeadLetterConfig(String type, java.nio.file.Path path, Location location) {}

package dev.dataforge.core.config;
public sealed interface TransformConfig permits FilterConfig, EnrichConfig { Location location(); }

package dev.dataforge.core.config;
public enum OnMiss { PASS, DROP, DEAD_LETTER }

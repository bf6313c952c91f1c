package dev.dataforge.core.config;

import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.Location;

/**
 * The {@code dead_letter:} section: the dead-letter queue's connector type ({@code file} unless said otherwise) and
 * its {@code config:} block, checked against that connector's spec when the pipeline is planned.
 */
public record DeadLetterConfig(String type, Location typeLocation, ConfigNode config, Location location)
{
    /** The built-in queue, JSON lines in a file. */
    public static final String FILE = "file";
}

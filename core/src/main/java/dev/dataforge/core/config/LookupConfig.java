package dev.dataforge.core.config;

import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.Location;

/**
 * @param maxBytes the most memory a version of the lookup may take (rows, index and enrich images): a larger one
 *                 is refused at start and, for a lookup that changes, a larger version keeps the current one.
 */
public record LookupConfig(String name, Location location, String type, Location typeLocation, ConfigNode config,
    long maxBytes, Location maxBytesLocation)
{
    /** Default {@code max_bytes}: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
}

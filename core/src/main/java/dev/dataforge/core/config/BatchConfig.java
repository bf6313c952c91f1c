package dev.dataforge.core.config;

import java.time.Duration;

/**
 * The sink's {@code batch:} settings: commit at {@code max_events} events or {@code max_bytes} bytes, and hold a
 * commit back until its oldest event has waited {@code linger} (0: commit at the end of every ring batch).
 */
public record BatchConfig(int maxEvents, long maxBytes, Duration linger)
{
}

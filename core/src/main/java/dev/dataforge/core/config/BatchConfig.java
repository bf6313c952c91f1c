package dev.dataforge.core.config;

import java.time.Duration;

/**
 * The sink's {@code batch:} settings: commit at {@code max_events} events or {@code max_bytes} bytes, and hold a
 * commit back until its oldest event has waited {@code linger} (0: commit at the end of every ring batch).
 *
 * @param linger null where the file sets none: the sink connector's own default then applies ({@link #resolved})
 */
public record BatchConfig(int maxEvents, long maxBytes, Duration linger)
{
    /** @return these settings with the sink connector's default linger where the file set none. */
    public BatchConfig resolved(final Duration sinkDefault)
    {
        return linger != null ? this : new BatchConfig(maxEvents, maxBytes, sinkDefault);
    }
}

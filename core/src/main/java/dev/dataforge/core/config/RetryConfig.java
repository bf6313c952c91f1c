package dev.dataforge.core.config;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How the sink stage retries a batch after a transient failure: exponential backoff from {@code initialBackoff},
 * doubled each attempt up to {@code maxBackoff}, with up to 50% random jitter, at most {@code maxAttempts} tries.
 */
public record RetryConfig(int maxAttempts, Duration initialBackoff, Duration maxBackoff)
{
    public static final RetryConfig DEFAULT = new RetryConfig(10, Duration.ofMillis(100), Duration.ofSeconds(10));

    /** @return the wait before retry number {@code attempt} (1-based), jitter included. */
    public long backoffNanos(final int attempt, final RandomGenerator random)
    {
        final long base = initialBackoff.toNanos() << Math.min(attempt - 1, 30);
        final long capped = Math.min(Math.max(base, 0), maxBackoff.toNanos());
        return capped / 2 + (long)(random.nextDouble() * (capped / 2));
    }
}

package dev.dataforge.tuning;

import java.util.List;

/**
 * Wait strategies by the names config uses.
 */
public final class WaitStrategies
{
    public static final String BACKOFF = "backoff";
    public static final List<String> NAMES = List.of(BACKOFF, "busy-spin", "yield", "sleep", "block");
    /** Longest park of the default strategy: bounds the wake-up latency of an idle stage. */
    public static final long DEFAULT_MAX_PARK_NANOS = 100_000;

    private WaitStrategies()
    {
    }

    /**
     * @return true for the waits that keep their CPU busy while there is nothing to do ({@code busy-spin},
     * {@code yield}: a yield returns at once when no other thread wants the CPU).
     */
    public static boolean keepsCpuBusy(final String name)
    {
        return "busy-spin".equals(name) || "yield".equals(name);
    }

    /** Spins of the source loop's backoff before it parks: a source that found nothing rarely has more at once. */
    public static final int SOURCE_SPINS = Integer.getInteger("dataforge.source.spins", 100);

    /**
     * @return the strategy the source loop pauses with between polls that found nothing; {@code block} backs off
     * there, as nothing signals the source.
     */
    public static StageWaitStrategy forSource(final String name)
    {
        return BACKOFF.equals(name) || "block".equals(name) ?
            new BackoffWaitStrategy(SOURCE_SPINS, DEFAULT_MAX_PARK_NANOS, 0) : create(name, 0);
    }

    /**
     * @param timeoutNanos how long a stage may wait without progress before its {@code onTimeout} runs; 0 = never.
     */
    public static StageWaitStrategy create(final String name, final long timeoutNanos)
    {
        switch (name)
        {
            case BACKOFF: return new BackoffWaitStrategy(DEFAULT_MAX_PARK_NANOS, timeoutNanos);
            case "busy-spin": return new BusySpinWaitStrategy(timeoutNanos);
            case "yield": return new YieldWaitStrategy(timeoutNanos);
            case "sleep": return new SleepWaitStrategy(50_000, timeoutNanos);
            case "block": return new BlockWaitStrategy(timeoutNanos);
            default: throw new IllegalArgumentException("unknown wait strategy '" + name + "' (known: " +
                String.join(", ", NAMES) + ")");
        }
    }
}

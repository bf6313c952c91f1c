package dev.dataforge.tuning.host;

/**
 * The outcome of one item of a host check. Only {@link #FAIL} makes a host not ready.
 */
public enum Status
{
    /** As a low-latency pipeline wants it. */
    OK("ok"),
    /** Works, at a cost in latency or jitter that the item's change line removes. */
    WARN("warn"),
    /** Stands in the way of low latency until changed. */
    FAIL("fail"),
    /** Does not apply to this host (the files that would tell are absent, or there is nothing to check). */
    NOT_APPLICABLE("n/a");

    private final String label;

    Status(final String label)
    {
        this.label = label;
    }

    /** @return how the report prints it: {@code ok}, {@code warn}, {@code fail} or {@code n/a}. */
    public String label()
    {
        return label;
    }
}

package dev.dataforge.journal;

/**
 * When appended entries are forced to disk. Every policy survives a process crash ({@code kill -9}): an appended
 * entry is in the page cache of the memory-mapped cycle file, which the kernel writes out after the process dies.
 * What survives a power loss or a kernel crash differs:
 * <ul>
 *   <li>{@code none}: what the kernel had written back (seconds of entries may be lost);</li>
 *   <li>{@code batch}: every entry appended before the last {@link Journal#flush()} (the end of each ring batch);</li>
 *   <li>{@code every N}: every entry but at most the last N - 1.</li>
 * </ul>
 * A torn entry at the tail is detected by its checksum when the journal opens, and cut ({@link TailRepair}).
 */
public final class SyncPolicy
{
    public static final SyncPolicy NONE = new SyncPolicy(0);
    public static final SyncPolicy BATCH = new SyncPolicy(-1);

    private final int every;

    private SyncPolicy(final int every)
    {
        this.every = every;
    }

    /** @return a policy that forces the journal to disk after every {@code n} appends ({@code n >= 1}). */
    public static SyncPolicy every(final int n)
    {
        if (n < 1)
        {
            throw new IllegalArgumentException("sync every N needs N >= 1, not " + n);
        }
        return new SyncPolicy(n);
    }

    /** @return the policy {@code none}, {@code batch} or {@code every N}; IllegalArgumentException saying why not. */
    public static SyncPolicy parse(final String text)
    {
        final String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("none"))
        {
            return NONE;
        }
        if (t.equals("batch"))
        {
            return BATCH;
        }
        if (t.startsWith("every"))
        {
            final String n = t.substring(5).trim();
            try
            {
                return every(Integer.parseInt(n));
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException("sync 'every N' needs a whole number N >= 1, not '" + n + "'");
            }
        }
        throw new IllegalArgumentException("sync must be none, batch or every N (e.g. every 1000), not '" + text +
            "'");
    }

    public boolean none()
    {
        return every == 0;
    }

    public boolean batch()
    {
        return every == -1;
    }

    /** @return N of {@code every N}, else 0. */
    public int everyN()
    {
        return Math.max(0, every);
    }

    @Override
    public String toString()
    {
        return every == 0 ? "none" : every == -1 ? "batch" : "every " + every;
    }
}

package dev.dataforge.journal;

/** How often the journal starts a new cycle file: the unit retention deletes. */
public enum JournalRollCycle
{
    MINUTELY, HOURLY, DAILY;

    /** @return the cycle named {@code minutely}, {@code hourly} or {@code daily}; IllegalArgumentException else. */
    public static JournalRollCycle parse(final String text)
    {
        for (final JournalRollCycle c : values())
        {
            if (c.name().equalsIgnoreCase(text.trim()))
            {
                return c;
            }
        }
        throw new IllegalArgumentException("roll_cycle must be minutely, hourly or daily, not '" + text + "'");
    }
}

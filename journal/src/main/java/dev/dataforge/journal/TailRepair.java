package dev.dataforge.journal;

/**
 * What opening a journal found at its tail.
 *
 * @param cut         whether a torn or corrupt tail was cut.
 * @param lastIndex   the last whole entry's index after the repair ({@link Journal#NULL_INDEX} when none).
 * @param description what was found and done, for the log; "clean" when nothing was cut.
 */
public record TailRepair(boolean cut, long lastIndex, String description)
{
}

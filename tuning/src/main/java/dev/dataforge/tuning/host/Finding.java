package dev.dataforge.tuning.host;

/**
 * One item of a host check, as the report prints it: the status and a summary on the item's line, then what was
 * found (and in which file), why it matters to a low-latency pipeline, and what to change.
 *
 * @param item    the item's name, such as {@code governor}.
 * @param status  the outcome.
 * @param summary a few words on the item's line, such as {@code powersave on 32 CPUs}.
 * @param found   what the host's files say, naming the files.
 * @param why     why it matters for latency.
 * @param change  what to do about it; {@code nothing} when there is nothing to do.
 */
public record Finding(String item, Status status, String summary, String found, String why, String change)
{
    /** The change line of an item that needs none. */
    public static final String NOTHING = "nothing";
}

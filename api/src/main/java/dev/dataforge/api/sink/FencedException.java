package dev.dataforge.api.sink;

import java.util.List;

/**
 * A commit refused because another instance has claimed some of its partitions since this one did (their epoch in
 * the destination is newer): nothing of the batch was committed. The sink stage drops those partitions' events and
 * commits the rest.
 */
public final class FencedException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient List<Checkpoint> fenced;

    /** @param fenced the batch's checkpoints whose epoch was refused. */
    public FencedException(final List<Checkpoint> fenced)
    {
        super("another instance has taken over " + describe(fenced), null, false, false);
        this.fenced = List.copyOf(fenced);
    }

    public List<Checkpoint> fenced()
    {
        return fenced;
    }

    private static String describe(final List<Checkpoint> fenced)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Checkpoint c : fenced)
        {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.source()).append('/').append(c.partition())
                .append(" (epoch ").append(c.epoch()).append(')');
        }
        return sb.toString();
    }
}

package dev.dataforge.api.sink;

import java.util.Map;

/**
 * The destination rejected some events of the batch, and the sink knows which: their positions in the batch (0 for
 * the first event appended since the last commit) with the destination's reason. Nothing of the batch was
 * committed; the sink stage dead-letters exactly these events and writes the rest again. A sink that cannot tell
 * which events were rejected classifies the failure as {@link Sink.Failure#ROW} instead, and the batch is split.
 */
public final class RejectedEventsException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient Map<Integer, String> rejected;

    public RejectedEventsException(final Map<Integer, String> rejected)
    {
        super(rejected.size() + " event(s) rejected: " + rejected.values().iterator().next(), null, false, false);
        this.rejected = Map.copyOf(rejected);
    }

    /** @return the rejected events' positions in the batch, with the reason of each. */
    public Map<Integer, String> rejected()
    {
        return rejected;
    }
}

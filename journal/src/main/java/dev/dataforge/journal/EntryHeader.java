package dev.dataforge.journal;

/**
 * The header of a journal entry, a reusable mutable holder (one per appender or reader: no allocation per entry).
 * Its byte layout is drawn in {@link EntryLayout}.
 * <ul>
 *   <li>{@code status}: the processed event's status (the writer's codes: core's pass, filtered, dead letter);</li>
 *   <li>{@code flags}: the writer's bit flags;</li>
 *   <li>{@code schemaId}, {@code schemaVersion}: the layout the event's bytes are in;</li>
 *   <li>{@code sourceIdHi/Lo}: the source topic's id (Kafka's topic UUID; 0 where a source has none);</li>
 *   <li>{@code partition}, {@code sourceOffset}: the event's source position;</li>
 *   <li>{@code ingestTimeMillis}: wall-clock time the source read the event (epoch millis);</li>
 *   <li>{@code routes}: the sinks the event goes to, bit {@code i} for sink {@code i};</li>
 *   <li>{@code tag}: the writer's own value, carried and never interpreted (core: the partition's claim);</li>
 *   <li>{@code pollNanos}: the writing process's {@code System.nanoTime()} when the source read the event, for
 *   end-to-end latency (meaningless in another process).</li>
 * </ul>
 */
public final class EntryHeader
{
    public int status;
    public int flags;
    public int schemaId;
    public int schemaVersion;
    public long sourceIdHi;
    public long sourceIdLo;
    public int partition;
    public long sourceOffset;
    public long ingestTimeMillis;
    public long routes;
    public long tag;
    public long pollNanos;

    /** Copies every field of {@code other} into this header. */
    public EntryHeader set(final EntryHeader other)
    {
        status = other.status;
        flags = other.flags;
        schemaId = other.schemaId;
        schemaVersion = other.schemaVersion;
        sourceIdHi = other.sourceIdHi;
        sourceIdLo = other.sourceIdLo;
        partition = other.partition;
        sourceOffset = other.sourceOffset;
        ingestTimeMillis = other.ingestTimeMillis;
        routes = other.routes;
        tag = other.tag;
        pollNanos = other.pollNanos;
        return this;
    }

    @Override
    public String toString()
    {
        return "partition " + partition + " offset " + sourceOffset + " status " + status + " flags " + flags +
            " schema " + schemaId + "/" + schemaVersion + " ingest " + ingestTimeMillis + " routes " +
            Long.toHexString(routes);
    }
}

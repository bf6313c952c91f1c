package dev.dataforge.journal;

import org.agrona.DirectBuffer;

/**
 * The journal stage's contract: every accepted event is appended, in ring order, before any sink may deliver it
 * (the sink stage is gated on the journal stage). Its index, with the source position, is what a sink checkpoints
 * and what recovery replays from.
 * <p>
 * The Chronicle Queue implementation lands with the exactly-once work; until then pipelines run without a journal
 * stage (see the README).
 */
public interface Journal extends AutoCloseable
{
    /**
     * Appends one record.
     *
     * @param partition    source partition of the record.
     * @param sourceOffset source offset of the record within its partition.
     * @return the record's journal index: increasing, never reused.
     */
    long append(DirectBuffer buffer, int offset, int length, int partition, long sourceOffset);

    /** Makes appended records durable to the journal's configured level. Called at the end of each ring batch. */
    void flush();

    /** @return a reader that remembers its position under {@code name} (one per sink), from {@code fromIndex}. */
    JournalReader reader(String name, long fromIndex);

    @Override
    void close();
}

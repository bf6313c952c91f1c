package dev.dataforge.api.source;

import org.agrona.MutableDirectBuffer;

/**
 * Turns a record a source published raw ({@link EventPublisher#publishRaw}) into the pipeline's layout, in place,
 * on the process stage: so a source thread only copies bytes and the decoding runs on another core. One instance
 * per pipeline, called from the process stage's thread only.
 */
public interface RecordDecoder
{
    /**
     * Decodes the {@code length} raw bytes at {@code base} into the slot at {@code base}.
     *
     * @param partition the record's source partition, and {@code offset} its position, for messages.
     * @return null when decoded, else the reason to dead-letter it; the slot then holds the original bytes again.
     */
    String decode(MutableDirectBuffer buffer, int base, int length, int partition, long offset);
}

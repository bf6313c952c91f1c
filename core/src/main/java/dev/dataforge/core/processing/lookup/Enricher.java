package dev.dataforge.core.processing.lookup;

import dev.dataforge.codec.Field;
import dev.dataforge.codec.RecordLayout;
import org.agrona.MutableDirectBuffer;

/**
 * One enrich stage's join against a {@link LookupTable}, made by {@link LookupTable#bind}. For each event it reads
 * the key from the slot, probes the table's index and copies the matching row's precomputed image of the selected
 * columns into the slot's enrichment region: one {@code putBytes}. A miss (or a NULL key) writes the all-NULL image.
 * Nothing is allocated or boxed per event; an enricher is immutable and may be shared by threads.
 */
public final class Enricher
{
    private final RecordLayout layout;
    private final Field eventKey;
    private final int targetOffset;
    private final int imageLength;
    private final byte[] images;
    private final byte[] nullImage;
    private final LongKeyIndex longIndex;
    private final BytesKeyIndex bytesIndex;

    Enricher(
        final RecordLayout layout,
        final Field eventKey,
        final int targetOffset,
        final int imageLength,
        final byte[] images,
        final byte[] nullImage,
        final LongKeyIndex longIndex,
        final BytesKeyIndex bytesIndex)
    {
        this.layout = layout;
        this.eventKey = eventKey;
        this.targetOffset = targetOffset;
        this.imageLength = imageLength;
        this.images = images;
        this.nullImage = nullImage;
        this.longIndex = longIndex;
        this.bytesIndex = bytesIndex;
    }

    /** @return the record layout after this stage: the layout before plus the selected columns. */
    public RecordLayout layout()
    {
        return layout;
    }

    /** @return bytes this stage writes into each slot. */
    public int imageLength()
    {
        return imageLength;
    }

    /**
     * Joins the record at {@code base}: writes the selected columns of the row whose key matches, or NULLs.
     *
     * @return true on a hit, false on a miss or a NULL key.
     */
    public boolean enrich(final MutableDirectBuffer buffer, final int base)
    {
        final int row = longIndex != null ? probeLong(buffer, base) : probeString(buffer, base);
        if (row < 0)
        {
            buffer.putBytes(base + targetOffset, nullImage, 0, imageLength);
            return false;
        }
        buffer.putBytes(base + targetOffset, images, row * imageLength, imageLength);
        return true;
    }

    private int probeLong(final MutableDirectBuffer buffer, final int base)
    {
        if (eventKey.isNull(buffer, base))
        {
            return LongKeyIndex.MISSING;
        }
        return longIndex.get(eventKey.getLong(buffer, base));
    }

    private int probeString(final MutableDirectBuffer buffer, final int base)
    {
        final int length = eventKey.stringLength(buffer, base);
        if (length == 0)
        {
            return BytesKeyIndex.MISSING;
        }
        return bytesIndex.get(buffer, eventKey.stringStart(buffer, base), length);
    }

    @Override
    public String toString()
    {
        return "enrich on " + eventKey.name() + " (" + imageLength + " bytes at " + targetOffset + ")";
    }
}

package dev.dataforge.journal;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The bytes of one journal entry inside a Chronicle document: a fixed little-endian header, then the payload.
 * <pre>
 * offset | size | field
 * -------+------+-------------------------------------------------------------
 *      0 |    4 | crc32c: CRC32C of bytes [4, 88 + length): header and payload
 *      4 |    4 | length: payload bytes
 *      8 |    4 | status
 *     12 |    4 | flags
 *     16 |    4 | schemaId
 *     20 |    4 | schemaVersion
 *     24 |    4 | partition
 *     28 |    4 | version: this layout's version ({@link #VERSION})
 *     32 |    8 | sourceIdHi
 *     40 |    8 | sourceIdLo
 *     48 |    8 | sourceOffset
 *     56 |    8 | ingestTimeMillis
 *     64 |    8 | routes
 *     72 |    8 | tag
 *     80 |    8 | pollNanos
 *     88 |    n | payload (length bytes)
 * </pre>
 * The checksum covers everything after itself, so a torn entry (cut by a truncated file, zeros where its tail should
 * be), a flipped bit or a document that is not an entry at all is told from a whole one. The checksum is computed
 * through a caller's scratch array ({@link CRC32C} takes arrays or ByteBuffers, not addresses): no allocation.
 */
public final class EntryLayout
{
    public static final int VERSION = 1;
    public static final int CRC_OFFSET = 0;
    public static final int LENGTH_OFFSET = 4;
    public static final int STATUS_OFFSET = 8;
    public static final int FLAGS_OFFSET = 12;
    public static final int SCHEMA_ID_OFFSET = 16;
    public static final int SCHEMA_VERSION_OFFSET = 20;
    public static final int PARTITION_OFFSET = 24;
    public static final int VERSION_OFFSET = 28;
    public static final int SOURCE_ID_HI_OFFSET = 32;
    public static final int SOURCE_ID_LO_OFFSET = 40;
    public static final int SOURCE_OFFSET_OFFSET = 48;
    public static final int INGEST_TIME_OFFSET = 56;
    public static final int ROUTES_OFFSET = 64;
    public static final int TAG_OFFSET = 72;
    public static final int POLL_NANOS_OFFSET = 80;
    /** The header's length: the payload starts here. */
    public static final int HEADER_LENGTH = 88;
    /** The scratch array {@link #checksum} needs at least (any length >= 1 works; this one copies little). */
    public static final int SCRATCH_LENGTH = 4096;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private EntryLayout()
    {
    }

    /** Writes {@code h} and the payload length at {@code offset}; the checksum slot is left for the writer. */
    public static void encodeHeader(final MutableDirectBuffer dst, final int offset, final EntryHeader h,
        final int length)
    {
        dst.putInt(offset + LENGTH_OFFSET, length, LE);
        dst.putInt(offset + STATUS_OFFSET, h.status, LE);
        dst.putInt(offset + FLAGS_OFFSET, h.flags, LE);
        dst.putInt(offset + SCHEMA_ID_OFFSET, h.schemaId, LE);
        dst.putInt(offset + SCHEMA_VERSION_OFFSET, h.schemaVersion, LE);
        dst.putInt(offset + PARTITION_OFFSET, h.partition, LE);
        dst.putInt(offset + VERSION_OFFSET, VERSION, LE);
        dst.putLong(offset + SOURCE_ID_HI_OFFSET, h.sourceIdHi, LE);
        dst.putLong(offset + SOURCE_ID_LO_OFFSET, h.sourceIdLo, LE);
        dst.putLong(offset + SOURCE_OFFSET_OFFSET, h.sourceOffset, LE);
        dst.putLong(offset + INGEST_TIME_OFFSET, h.ingestTimeMillis, LE);
        dst.putLong(offset + ROUTES_OFFSET, h.routes, LE);
        dst.putLong(offset + TAG_OFFSET, h.tag, LE);
        dst.putLong(offset + POLL_NANOS_OFFSET, h.pollNanos, LE);
    }

    /** Reads the header at {@code offset} into {@code h}. */
    public static void decodeHeader(final DirectBuffer src, final int offset, final EntryHeader h)
    {
        h.status = src.getInt(offset + STATUS_OFFSET, LE);
        h.flags = src.getInt(offset + FLAGS_OFFSET, LE);
        h.schemaId = src.getInt(offset + SCHEMA_ID_OFFSET, LE);
        h.schemaVersion = src.getInt(offset + SCHEMA_VERSION_OFFSET, LE);
        h.partition = src.getInt(offset + PARTITION_OFFSET, LE);
        h.sourceIdHi = src.getLong(offset + SOURCE_ID_HI_OFFSET, LE);
        h.sourceIdLo = src.getLong(offset + SOURCE_ID_LO_OFFSET, LE);
        h.sourceOffset = src.getLong(offset + SOURCE_OFFSET_OFFSET, LE);
        h.ingestTimeMillis = src.getLong(offset + INGEST_TIME_OFFSET, LE);
        h.routes = src.getLong(offset + ROUTES_OFFSET, LE);
        h.tag = src.getLong(offset + TAG_OFFSET, LE);
        h.pollNanos = src.getLong(offset + POLL_NANOS_OFFSET, LE);
    }

    /** @return the payload length the header at {@code offset} gives. */
    public static int payloadLength(final DirectBuffer src, final int offset)
    {
        return src.getInt(offset + LENGTH_OFFSET, LE);
    }

    /** @return the checksum the entry at {@code offset} carries. */
    public static int storedChecksum(final DirectBuffer src, final int offset)
    {
        return src.getInt(offset + CRC_OFFSET, LE);
    }

    /** Adds {@code length} bytes of {@code src} at {@code offset} to {@code crc}, through {@code scratch}. */
    public static void update(final CRC32C crc, final byte[] scratch, final DirectBuffer src, final int offset,
        final int length)
    {
        final byte[] array = src.byteArray();
        if (array != null)
        {
            crc.update(array, (int)src.wrapAdjustment() + offset, length);
            return;
        }
        int done = 0;
        while (done < length)
        {
            final int n = Math.min(scratch.length, length - done);
            src.getBytes(offset + done, scratch, 0, n);
            crc.update(scratch, 0, n);
            done += n;
        }
    }

    /** @return the CRC32C an entry of {@code total} bytes (header included) at {@code offset} should carry. */
    public static int checksum(final CRC32C crc, final byte[] scratch, final DirectBuffer src, final int offset,
        final int total)
    {
        crc.reset();
        update(crc, scratch, src, offset + LENGTH_OFFSET, total - LENGTH_OFFSET);
        return (int)crc.getValue();
    }

    /**
     * @return null when the {@code total} bytes at {@code offset} are one whole entry, else why not (a constant:
     * no allocation either way).
     */
    public static String check(final CRC32C crc, final byte[] scratch, final DirectBuffer src, final int offset,
        final int total)
    {
        if (total < HEADER_LENGTH)
        {
            return "shorter than an entry header";
        }
        if (payloadLength(src, offset) != total - HEADER_LENGTH)
        {
            return "payload length does not match the document's length";
        }
        if (checksum(crc, scratch, src, offset, total) != storedChecksum(src, offset))
        {
            return "checksum mismatch";
        }
        return null;
    }
}

package dev.dataforge.core.delivery;

import dev.dataforge.api.deadletter.DeadLetter;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.core.ring.EventSlot;
import dev.dataforge.journal.EntryHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How a processed event is journaled, and read back into a slot. The entry's header carries the event's status, its
 * source position, its routes, its partition's claim and poll time; the payload is, by status:
 * <pre>
 *   pass         the record, recordLength bytes in the pipeline's layout
 *   filtered     nothing (the entry only settles the source position)
 *   dead letter  | stage length u16 | stage UTF-8 | reason length i32 | reason UTF-8 | bytes |
 *                bytes: the source's original bytes (flag ORIGINAL) or the record
 * </pre>
 * Encoding and decoding a passing or filtered event allocate nothing; a dead letter may (its error path).
 */
public final class JournalCodec
{
    /** Flag: a dead letter's bytes are the source's original bytes, not a record. */
    public static final int ORIGINAL = 1;

    private final RecordLayout layout;
    private final int recordLength;
    private final UnsafeBuffer letter = new UnsafeBuffer(new byte[256]);

    public JournalCodec(final RecordLayout layout)
    {
        this.layout = layout;
        this.recordLength = layout.recordLength();
    }

    public RecordLayout layout()
    {
        return layout;
    }

    /** A payload to append: {@code length} bytes of {@code buffer} at {@code offset}. */
    public static final class Payload
    {
        public DirectBuffer buffer;
        public int offset;
        public int length;
    }

    /**
     * Fills {@code header} and {@code payload} with the event in {@code slot}, whose record is in {@code memory}.
     *
     * @param idHi the slot's partition's source id (see {@link #sourceIdHi}), high and low halves.
     */
    public void encode(final EventSlot slot, final DirectBuffer memory, final long ingestMillis, final long idHi,
        final long idLo, final EntryHeader header, final Payload payload)
    {
        header.status = slot.status();
        header.flags = 0;
        header.schemaId = layout.schemaId();
        header.schemaVersion = layout.version();
        header.sourceIdHi = idHi;
        header.sourceIdLo = idLo;
        header.partition = slot.partition();
        header.sourceOffset = slot.sourceOffset();
        header.ingestTimeMillis = ingestMillis;
        header.routes = slot.sinks();
        header.tag = slot.claim();
        header.pollNanos = slot.pollNanos();
        switch (slot.status())
        {
            case EventSlot.PASS:
                payload.buffer = memory;
                payload.offset = slot.base();
                payload.length = slot.length();
                break;
            case EventSlot.DEAD_LETTER:
                final boolean original = DeadLetter.SOURCE_STAGE.equals(slot.deadLetterStage());
                final byte[] bytes = original ? slot.sourceBytes(memory) : null;
                final byte[] stage = String.valueOf(slot.deadLetterStage()).getBytes(StandardCharsets.UTF_8);
                final byte[] reason = String.valueOf(slot.deadLetterReason()).getBytes(StandardCharsets.UTF_8);
                final int n = 2 + stage.length + 4 + reason.length + (original ? bytes.length : slot.length());
                if (letter.capacity() < n)
                {
                    letter.wrap(new byte[Math.max(n, letter.capacity() * 2)]);
                }
                int at = 0;
                letter.putShort(at, (short)stage.length);
                letter.putBytes(at += 2, stage);
                letter.putInt(at += stage.length, reason.length);
                letter.putBytes(at += 4, reason);
                at += reason.length;
                if (original)
                {
                    letter.putBytes(at, bytes);
                    header.flags = ORIGINAL;
                }
                else
                {
                    letter.putBytes(at, memory, slot.base(), slot.length());
                }
                payload.buffer = letter;
                payload.offset = 0;
                payload.length = n;
                break;
            default:
                payload.buffer = memory;
                payload.offset = 0;
                payload.length = 0;
                break;
        }
    }

    /**
     * Refuses an entry whose event is in another layout than the pipeline's (the schema changed since it was
     * journaled: inferred again, or edited): read with this layout it would be delivered wrong.
     *
     * @throws IllegalStateException naming the entry and both schemas.
     */
    public void checkSchema(final long index, final EntryHeader header)
    {
        checkSchema(index, header, layout);
    }

    /** As {@link #checkSchema(long, EntryHeader)}, against {@code layout} (the replay source's). */
    public static void checkSchema(final long index, final EntryHeader header, final RecordLayout layout)
    {
        if (header.schemaId != layout.schemaId() || header.schemaVersion != layout.version())
        {
            throw new IllegalStateException(mismatch(index, header.schemaId, header.schemaVersion, layout));
        }
    }

    private static String mismatch(final long index, final int id, final int version, final RecordLayout layout)
    {
        return "journal entry " + index + " holds an event of schema " + id + "/" + version + ", but this " +
            "pipeline's layout is " + layout.schemaId() + "/" + layout.version() + ": its schema changed since the " +
            "entry was written (schema: auto infers again at each start; give the schema as fields to pin it, or " +
            "start with a new journal)";
    }

    /**
     * Fills {@code slot}, whose record area is at {@code slot.base()} of {@code memory}, with a journaled event.
     *
     * @param claim the claim the event is taken under (see {@code Claims}).
     */
    public void decode(final long index, final EntryHeader header, final DirectBuffer buffer, final int offset,
        final int length, final long claim, final EventSlot slot, final MutableDirectBuffer memory)
    {
        slot.reset(recordLength, header.pollNanos);
        slot.sourcePosition(header.partition, header.sourceOffset);
        slot.claim(claim);
        slot.sinks(header.routes);
        slot.journalIndex(index);
        switch (header.status)
        {
            case EventSlot.PASS:
                checkSchema(index, header);
                memory.putBytes(slot.base(), buffer, offset, length);
                slot.length(length);
                break;
            case EventSlot.DEAD_LETTER:
                int at = offset;
                final int stageLength = buffer.getShort(at) & 0xFFFF;
                final String stage = buffer.getStringWithoutLengthUtf8(at += 2, stageLength);
                final int reasonLength = buffer.getInt(at += stageLength);
                final String reason = buffer.getStringWithoutLengthUtf8(at += 4, reasonLength);
                at += reasonLength;
                final int rest = offset + length - at;
                slot.status(EventSlot.DEAD_LETTER, stage, reason);
                if ((header.flags & ORIGINAL) != 0)
                {
                    final byte[] original = new byte[rest];
                    buffer.getBytes(at, original);
                    slot.original(original);
                    slot.length(rest);
                }
                else
                {
                    checkSchema(index, header);
                    memory.putBytes(slot.base(), buffer, at, rest);
                    slot.length(rest);
                }
                break;
            default:
                slot.status((byte)header.status);
                break;
        }
    }

    /**
     * A source id in two longs: a Kafka topic id (22 characters of URL-safe base64, 16 bytes) as its bytes, anything
     * else as a hash of its text; 0 and 0 for none.
     */
    public static long sourceIdHi(final String id)
    {
        final byte[] b = idBytes(id);
        return b == null ? hash(id, 0x9E3779B97F4A7C15L) : word(b, 0);
    }

    public static long sourceIdLo(final String id)
    {
        final byte[] b = idBytes(id);
        return b == null ? hash(id, 0xC2B2AE3D27D4EB4FL) : word(b, 8);
    }

    /** @return the source id two longs stand for, as Kafka writes topic ids, for display. */
    public static String sourceIdText(final long hi, final long lo)
    {
        if (hi == 0 && lo == 0)
        {
            return "";
        }
        final byte[] b = new byte[16];
        for (int i = 0; i < 8; i++)
        {
            b[i] = (byte)(hi >>> (56 - 8 * i));
            b[8 + i] = (byte)(lo >>> (56 - 8 * i));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] idBytes(final String id)
    {
        if (id == null || id.length() != 22)
        {
            return null;
        }
        try
        {
            final byte[] b = Base64.getUrlDecoder().decode(id);
            return b.length == 16 ? b : null;
        }
        catch (final IllegalArgumentException e)
        {
            return null;
        }
    }

    private static long word(final byte[] b, final int at)
    {
        long v = 0;
        for (int i = 0; i < 8; i++)
        {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }

    private static long hash(final String id, final long seed)
    {
        if (id == null || id.isEmpty())
        {
            return 0;
        }
        long h = seed;
        for (int i = 0; i < id.length(); i++)
        {
            h = (h ^ id.charAt(i)) * 0x100000001B3L;
        }
        return h == 0 ? 1 : h;
    }
}

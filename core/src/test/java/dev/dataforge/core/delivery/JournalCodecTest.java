package dev.dataforge.core.delivery;

import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;
import dev.dataforge.codec.RecordLayout;
import dev.dataforge.core.ring.EventSlot;
import dev.dataforge.journal.EntryHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Journal entries carry their layout's schema id and version; an entry of another layout is never read as ours. */
class JournalCodecTest
{
    private static RecordLayout layout(final Field... fields)
    {
        return RecordLayout.of("t", List.of(fields), 16);
    }

    @Test
    void anEntryOfAnotherFieldListIsRefusedNamingBothSchemas()
    {
        final RecordLayout before = layout(new Field("id", FieldType.LONG, 0, 8, 0),
            Field.variable("page", FieldType.STRING));
        final RecordLayout after = layout(new Field("id", FieldType.LONG, 0, 8, 0),
            Field.variable("page", FieldType.JSON));
        assertNotEquals(before.version(), after.version(), "a field's type changed: another version");
        assertEquals(before.version(), layout(new Field("id", FieldType.LONG, 0, 8, 0),
            Field.variable("page", FieldType.STRING)).version(), "the same field list: the same version");
        assertTrue(before.version() > 0);

        final UnsafeBuffer memory = new UnsafeBuffer(new byte[1024]);
        final EventSlot slot = new EventSlot(0);
        slot.reset(before.recordLength(), 0);
        slot.length(before.recordLength());
        final EntryHeader header = new EntryHeader();
        final JournalCodec written = new JournalCodec(before);
        written.encode(slot, memory, 0, 0, 0, header, new JournalCodec.Payload());
        new JournalCodec(before).decode(7, header, memory, 0, before.recordLength(), 0, slot, memory);
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> new JournalCodec(after).decode(7, header, memory, 0, before.recordLength(), 0, slot, memory));
        assertEquals("journal entry 7 holds an event of schema " + before.schemaId() + "/" + before.version() +
            ", but this pipeline's layout is " + after.schemaId() + "/" + after.version() + ": its schema changed " +
            "since the entry was written (schema: auto infers again at each start; give the schema as fields to pin " +
            "it, or start with a new journal)", e.getMessage());
    }
}

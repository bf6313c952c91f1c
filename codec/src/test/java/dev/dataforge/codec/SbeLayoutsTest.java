package dev.dataforge.codec;

import dev.dataforge.codec.sbe.MessageHeaderEncoder;
import dev.dataforge.codec.sbe.UserEventEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SbeLayoutsTest
{
    private final RecordLayout layout = SbeLayouts.userEvent();

    @Test
    void offsetsResolvedFromIrMatchTheGeneratedCodec()
    {
        final int h = MessageHeaderEncoder.ENCODED_LENGTH;
        assertEquals(h, layout.headerLength());
        assertEquals(UserEventEncoder.BLOCK_LENGTH, layout.blockLength());
        assertEquals(h + UserEventEncoder.eventIdEncodingOffset(), layout.field("event_id").offset());
        assertEquals(h + UserEventEncoder.userIdEncodingOffset(), layout.field("user_id").offset());
        assertEquals(h + UserEventEncoder.typeEncodingOffset(), layout.field("type").offset());
        assertEquals(UserEventEncoder.typeLength(), layout.field("type").length());
        assertEquals(h + UserEventEncoder.amountEncodingOffset(), layout.field("amount").offset());
        assertEquals(h + UserEventEncoder.enrichmentEncodingOffset(), layout.enrichmentOffset());
        assertEquals(FieldType.DECIMAL, layout.field("amount").type());
        assertEquals(2, layout.field("amount").scale());
        assertEquals(FieldType.TIMESTAMP, layout.field("event_time").type());
        assertEquals(FieldType.STRING, layout.field("currency").type());
        assertNull(layout.field("enrichment"), "the enrichment region is not a field");
    }

    @Test
    void readsWhatTheGeneratedEncoderWrote()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[layout.recordLength() + 16]);
        final int base = 16;
        final UserEventEncoder encoder = new UserEventEncoder();
        encoder.wrapAndApplyHeader(buffer, base, new MessageHeaderEncoder());
        encoder.eventId(42).userId(7).sessionId(UserEventEncoder.sessionIdNullValue()).type("click").page("/home");
        encoder.amount().mantissa(1999);
        encoder.currency("EUR");

        assertEquals(42, layout.field("event_id").getLong(buffer, base));
        assertEquals(7, layout.field("user_id").getLong(buffer, base));
        assertTrue(layout.field("session_id").isNull(buffer, base));
        assertTrue(layout.field("type").stringEquals(buffer, base, "click".getBytes(StandardCharsets.UTF_8)));
        assertFalse(layout.field("type").stringEquals(buffer, base, "clic".getBytes(StandardCharsets.UTF_8)));
        assertFalse(layout.field("type").stringEquals(buffer, base, "clicks".getBytes(StandardCharsets.UTF_8)));
        assertEquals("/home", layout.field("page").getString(buffer, base));
        assertEquals(19.99, layout.field("amount").getDouble(buffer, base), 1e-9);
        assertEquals("EUR", layout.field("currency").getString(buffer, base));
    }

    @Test
    void enrichmentColumnsArePlacedInsideTheRegion()
    {
        final RecordLayout enriched = layout.withEnrichment(List.of(
            new Field("tier", FieldType.STRING, 0, 16, 0), new Field("score", FieldType.LONG, 0, 8, 0)));
        assertEquals(layout.enrichmentOffset(), enriched.field("tier").offset());
        assertEquals(layout.enrichmentOffset() + 16, enriched.field("score").offset());
        assertEquals(24, enriched.enrichmentUsed());
        assertEquals(layout.recordLength(), enriched.recordLength());

        final IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
            () -> layout.withEnrichment(List.of(new Field("page", FieldType.LONG, 0, 8, 0))));
        assertTrue(clash.getMessage().contains("'page' clashes"), clash.getMessage());
        final IllegalArgumentException full = assertThrows(IllegalArgumentException.class,
            () -> layout.withEnrichment(List.of(new Field("blob", FieldType.STRING, 0, 1000, 0))));
        assertTrue(full.getMessage().contains("does not fit"), full.getMessage());
    }

    @Test
    void rejectsSchemasWithVariableLengthFields()
    {
        final String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" +
            "<sbe:messageSchema xmlns:sbe=\"http://fixprotocol.io/2016/sbe\" package=\"x\" id=\"1\" version=\"0\">" +
            "<types><composite name=\"messageHeader\"><type name=\"blockLength\" primitiveType=\"uint16\"/>" +
            "<type name=\"templateId\" primitiveType=\"uint16\"/><type name=\"schemaId\" primitiveType=\"uint16\"/>" +
            "<type name=\"version\" primitiveType=\"uint16\"/></composite>" +
            "<composite name=\"varDataEncoding\"><type name=\"length\" primitiveType=\"uint32\" maxValue=\"1000\"/>" +
            "<type name=\"varData\" primitiveType=\"uint8\" length=\"0\"/></composite></types>" +
            "<sbe:message name=\"M\" id=\"1\"><field name=\"a\" id=\"1\" type=\"int32\"/>" +
            "<data name=\"blob\" id=\"2\" type=\"varDataEncoding\"/></sbe:message></sbe:messageSchema>";
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SbeLayouts.fromSchema(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "M"));
        assertTrue(e.getMessage().contains("'blob'"), e.getMessage());
    }

    @Test
    void suggestsCloseNames()
    {
        assertEquals("user_id", Names.closest("usr_id", layout.fieldNames()));
        assertNull(Names.closest("completely_different", layout.fieldNames()));
        assertEquals("event_time", Names.snakeCase("eventTime"));
    }
}

package dev.dataforge.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schemas given as field lists and inferred from samples, and records validated against them. */
class JsonSchemaTest
{
    private static List<byte[]> records(final String... json)
    {
        final List<byte[]> out = new ArrayList<>();
        for (final String j : json)
        {
            out.add(j.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String describe(final Field f)
    {
        return f.name() + ":" + f.type() + (f.isVariable() ? "" : "/" + f.length()) +
            (f.type() == FieldType.DECIMAL ? "/" + f.scale() : "");
    }

    @Test
    void infersTypesRequiredFieldsNestedValuesAsJsonAndLeavesOutAllNullFields()
    {
        final JsonSchema s = JsonSchema.infer("trades", records(
            "{\"id\": 1, \"price\": 12.5, \"qty\": 3, \"at\": \"2026-01-01T00:00:00Z\", \"sku\": \"ab\", " +
                "\"ok\": true, \"score\": 1e3, \"note\": null, \"tags\": [1], \"meta\": {\"a\": 1}}",
            "{\"id\": 2, \"price\": 7, \"qty\": 4, \"at\": \"2026-01-01T00:00:01.250Z\", \"sku\": \"" +
                "x".repeat(40) + "\", \"ok\": false, \"score\": 2.5}",
            "{\"id\": 3, \"price\": 0.125, \"at\": \"2026-01-02T10:00:00Z\", \"sku\": \"caf\u00e9\"}",
            "not json at all", "[1, 2]"));
        final List<String> fields = new ArrayList<>();
        s.layout().fields().forEach(f -> fields.add(describe(f)));
        assertEquals(List.of("id:LONG/8", "price:DECIMAL/8/3", "qty:LONG/8", "at:TIMESTAMP/8", "sku:STRING",
            "ok:BOOLEAN/1", "score:DOUBLE/8", "tags:JSON", "meta:JSON"), fields);
        assertEquals(List.of("id", "price", "at", "sku"), s.required(), "present and not null in every record");
        assertEquals(List.of("field 'note' left out: null in every sampled record"), s.notes());
        assertEquals(JsonSchema.ENRICHMENT_BYTES, s.layout().enrichmentLength());
        assertTrue(s.layout().isVariable());
        assertEquals(8 + 4 + 8 * 5 + 8 + 1 + 8 + 8 + JsonSchema.ENRICHMENT_BYTES, s.layout().recordLength(),
            "header, record length, the fixed fields and three references, enrichment");

        // the locked schema validates records: a wrong type and a missing required field are refused
        final JsonTranscoder t = new JsonTranscoder(s.layout(), s.required());
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[s.layout().recordLength() + 4096]);
        final byte[] ok = "{\"id\": 9, \"price\": 1.5, \"at\": \"2026-01-01T00:00:00Z\", \"sku\": \"q\"}"
            .getBytes(StandardCharsets.UTF_8);
        assertEquals(JsonTranscoder.OK, t.transcode(ok, 0, ok.length, slot, 0), t.error());
        assertEquals(1500, s.layout().field("price").getLong(slot, 0), "decimal(3): 1.500");
        final byte[] wrong = "{\"id\": \"nine\", \"price\": 1, \"at\": \"2026-01-01T00:00:00Z\", \"sku\": \"q\"}"
            .getBytes(StandardCharsets.UTF_8);
        assertEquals(JsonTranscoder.WRONG_TYPE, t.transcode(wrong, 0, wrong.length, slot, 0));
        final byte[] missing = "{\"id\": 1, \"at\": \"2026-01-01T00:00:00Z\", \"sku\": \"q\"}"
            .getBytes(StandardCharsets.UTF_8);
        assertEquals(JsonTranscoder.MISSING_REQUIRED, t.transcode(missing, 0, missing.length, slot, 0));
        assertTrue(t.error().contains("price"), t.error());
    }

    @Test
    void aFieldMixingKindsIsJsonWithANoteNamingTheKindsSeen()
    {
        final JsonSchema s = JsonSchema.infer("t", records("{\"a\": 1, \"b\": true}", "{\"a\": 2, \"b\": \"yes\"}",
            "{\"a\": 3, \"b\": {\"x\": [1]}}"));
        assertEquals(FieldType.JSON, s.layout().field("b").type());
        assertEquals(List.of("field 'b' is json: it holds boolean and string and object values in the sample, " +
            "which no one scalar type holds"), s.notes());
        final JsonTranscoder t = new JsonTranscoder(s.layout(), s.required());
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[1024]);
        for (final String[] c : new String[][] {{"{\"a\":1,\"b\":true}", "true"}, {"{\"a\":1,\"b\":\"yes\"}", "\"yes\""},
            {"{\"a\":1,\"b\": {\"x\" : [1, {\"y\":\"\\u00e9\"}]} }", "{\"x\" : [1, {\"y\":\"\\u00e9\"}]}"}})
        {
            final byte[] in = c[0].getBytes(StandardCharsets.UTF_8);
            assertEquals(JsonTranscoder.OK, t.transcode(in, 0, in.length, slot, 0), t.error());
            assertEquals(c[1], s.layout().field("b").getString(slot, 0), "the value's JSON text, unchanged");
        }
        assertEquals("none of the 2 sampled records is a JSON object: nothing to infer a schema from",
            assertThrows(IllegalArgumentException.class, () -> JsonSchema.infer("t", records("x", "1"))).getMessage());
    }

    @Test
    void aGivenFieldListParsesTypesAndRequiredFlagsAndRefusesTheRest()
    {
        final Set<String> required = new LinkedHashSet<>();
        assertEquals("id:LONG/8", describe(JsonSchema.field("id", "long required", required)));
        assertEquals("n:LONG/4", describe(JsonSchema.field("n", "INT", required)));
        assertEquals("p:DECIMAL/8/2", describe(JsonSchema.field("p", "decimal(2)", required)));
        assertEquals("s:STRING/32", describe(JsonSchema.field("s", "string(32) optional", required)));
        assertEquals("t:TIMESTAMP/8", describe(JsonSchema.field("t", " timestamp  required ", required)));
        assertEquals("b:BOOLEAN/1", describe(JsonSchema.field("b", "boolean", required)));
        assertEquals("d:DOUBLE/8", describe(JsonSchema.field("d", "double", required)));
        assertEquals(Set.of("id", "t"), required);
        assertEquals("v:STRING", describe(JsonSchema.field("v", "string", required)));
        assertEquals("j:JSON", describe(JsonSchema.field("j", "json required", required)));
        assertEquals("'string' needs its length in bytes, e.g. string(32)", assertThrows(
            IllegalArgumentException.class, () -> FieldTypes.parse("s", "string", 64)).getMessage(),
            "a lookup column is fixed width");
        assertEquals("field 'p': decimal scale must be 0 to 18, not 19", assertThrows(IllegalArgumentException.class,
            () -> JsonSchema.field("p", "decimal(19)", required)).getMessage());
        assertEquals("field 'x': unknown type 'integer' (known: " + FieldTypes.KNOWN_EVENT + ")", assertThrows(
            IllegalArgumentException.class, () -> JsonSchema.field("x", "integer required", required)).getMessage());
        assertEquals("field name '1x' must be letters, digits and '_', not starting with a digit (a member of a " +
            "flattened object: its keys joined by dots, such as repository.owner.login)", assertThrows(
            IllegalArgumentException.class, () -> JsonSchema.field("1x", "long", required)).getMessage());
        final RecordLayout layout = RecordLayout.of("t", List.of(JsonSchema.field("a", "string(5)", required),
            JsonSchema.field("b", "long", required)), 16);
        assertEquals(8, layout.field("a").offset());
        assertEquals(13, layout.field("b").offset());
        assertEquals(8 + 5 + 8 + 16, layout.recordLength());
    }
}

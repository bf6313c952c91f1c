package dev.dataforge.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records with variable-length strings and json values: laid out behind the fixed part, read back whole. */
class VariableRecordTest
{
    private final RecordLayout layout = RecordLayout.of("e", List.of(
        new Field("id", FieldType.LONG, 0, 8, 0),
        Field.variable("page", FieldType.STRING),
        Field.variable("payload", FieldType.JSON),
        new Field("code", FieldType.STRING, 0, 4, 0)), 32);
    private final JsonTranscoder t = new JsonTranscoder(layout, Set.of("id"));

    private static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aStringAsLongAsTheRecordAllowsAndAJsonValueAreCarriedWhole()
    {
        final String page = "/p/" + "x".repeat(100_000);
        final String payload = "{\"a\": [1, 2.5e3, {\"b\": null}], \"c\": \"caf\\u00e9 \\\"q\\\"\"}";
        final byte[] in = utf8("{\"id\": 7, \"page\": \"" + page + "\", \"payload\": " + payload + ", \"code\": \"ab\"}");
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[layout.recordLength() + in.length]);
        assertEquals(JsonTranscoder.OK, t.transcode(in, 0, in.length, slot, 0, slot.capacity()), t.error());
        assertEquals(page, layout.field("page").getString(slot, 0));
        assertEquals(payload, layout.field("payload").getString(slot, 0), "json text unchanged, escapes and all");
        assertEquals("ab", layout.field("code").getString(slot, 0));
        final int length = layout.recordLength() + page.length() + payload.length();
        assertEquals(length, t.recordLength());
        assertEquals(length, layout.recordLength(slot, 0), "the record says its own length");
        assertTrue(layout.field("page").stringEquals(slot, 0, utf8(page)));
        assertFalse(layout.field("page").stringEquals(slot, 0, utf8(page + "y")));
    }

    @Test
    void escapesAreDecodedIntoTheVariableDataAndNullsAndAbsentFieldsAreNull()
    {
        final byte[] in = utf8("{\"id\": 1, \"page\": \"a\\tb\\u00e9\\ud83d\\ude00\\\"\", \"payload\": null}");
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[1024]);
        assertEquals(JsonTranscoder.OK, t.transcode(in, 0, in.length, slot, 0), t.error());
        assertEquals("a\tb\u00e9\ud83d\ude00\"", layout.field("page").getString(slot, 0));
        assertTrue(layout.field("payload").isNull(slot, 0));
        assertTrue(layout.field("code").isNull(slot, 0));
        assertEquals(layout.recordLength() + "a\tb\u00e9\ud83d\ude00\"".getBytes(StandardCharsets.UTF_8).length,
            layout.recordLength(slot, 0));
    }

    @Test
    void aRecordLargerThanItsRoomOrWithInvalidJsonIsRefusedWithTheField()
    {
        final byte[] in = utf8("{\"id\": 1, \"page\": \"" + "y".repeat(500) + "\"}");
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[4096]);
        assertEquals(JsonTranscoder.TOO_LARGE, t.transcode(in, 0, in.length, slot, 0, layout.recordLength() + 499));
        assertTrue(t.error().contains("'page'"), t.error());
        assertEquals(JsonTranscoder.OK, t.transcode(in, 0, in.length, slot, 0, layout.recordLength() + 500),
            t.error());
        final byte[] bad = utf8("{\"id\": 1, \"payload\": {\"a\": [1, }}");
        assertEquals(JsonTranscoder.INVALID_JSON, t.transcode(bad, 0, bad.length, slot, 0));
        assertTrue(t.error().contains("'payload'"), t.error());
    }

    @Test
    void everyRecordFitsInItsFixedPartPlusItsJsonLength()
    {
        // the room a source claims for a record it has not decoded yet (see KafkaSource.room)
        final java.util.Random random = new java.util.Random(42);
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[1 << 16]);
        for (int i = 0; i < 2_000; i++)
        {
            final StringBuilder page = new StringBuilder();
            for (int c = random.nextInt(300); c > 0; c--)
            {
                page.append(random.nextInt(10) == 0 ? "\\u00e9" : random.nextInt(10) == 0 ? "\\n" : "z");
            }
            final byte[] in = utf8("{\"id\":" + i + ",\"page\":\"" + page + "\",\"payload\":[" + "1,".repeat(
                random.nextInt(50)) + "2]}");
            assertEquals(JsonTranscoder.OK, t.transcode(in, 0, in.length, slot, 0, layout.recordLength() + in.length),
                t.error());
            assertTrue(t.recordLength() <= layout.recordLength() + in.length);
        }
    }

    @Test
    void flattenedObjectsAreAColumnPerMemberAndArraysOrMixedObjectsStayJson()
    {
        final JsonSchema schema = JsonSchema.infer("f", List.of(
            utf8("{\"id\": 1, \"repo\": {\"name\": \"a\", \"owner\": {\"login\": \"x\", \"id\": 5}, \"tags\": [1]}, " +
                "\"odd\": {\"k\": 1}}"),
            utf8("{\"id\": 2, \"repo\": null, \"odd\": \"text\"}"),
            utf8("{\"id\": 3, \"repo\": {\"name\": \"b\", \"owner\": {\"login\": \"y\", \"id\": 6}, \"tags\": []}}")),
            path -> true);
        final List<String> fields = new java.util.ArrayList<>();
        schema.layout().fields().forEach(f -> fields.add(f.name() + ":" + f.typeDescription()));
        assertEquals(List.of("id:long", "repo.name:string", "repo.owner.login:string", "repo.owner.id:long",
            "repo.tags:json", "odd:json"), fields);
        final JsonTranscoder flat = new JsonTranscoder(schema.layout(), schema.required());
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[4096]);
        final byte[] in = utf8("{\"id\": 9, \"repo\": {\"owner\": {\"id\": 7, \"login\": \"q\", \"new\": 1}, " +
            "\"tags\": [\"t\"]}, \"odd\": 3}");
        assertEquals(JsonTranscoder.OK, flat.transcode(in, 0, in.length, slot, 0), flat.error());
        final RecordLayout l = schema.layout();
        assertEquals(7, l.field("repo.owner.id").getLong(slot, 0));
        assertEquals("q", l.field("repo.owner.login").getString(slot, 0));
        assertTrue(l.field("repo.name").isNull(slot, 0), "a member the record lacks is NULL");
        assertEquals("[\"t\"]", l.field("repo.tags").getString(slot, 0));
        assertEquals("3", l.field("odd").getString(slot, 0));
        assertEquals("repo.owner.new", flat.unknownField(), "a new member is reported by its path");
        final byte[] notAnObject = utf8("{\"id\": 9, \"repo\": [1]}");
        assertEquals(JsonTranscoder.WRONG_TYPE, flat.transcode(notAnObject, 0, notAnObject.length, slot, 0));
        assertEquals("field 'repo' must be an object: its members are columns (flattened)", flat.error());
        final byte[] nullObject = utf8("{\"id\": 9, \"repo\": null}");
        assertEquals(JsonTranscoder.OK, flat.transcode(nullObject, 0, nullObject.length, slot, 0), flat.error());
        assertTrue(l.field("repo.owner.login").isNull(slot, 0));
    }
}

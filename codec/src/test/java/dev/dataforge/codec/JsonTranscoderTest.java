package dev.dataforge.codec;

import dev.dataforge.codec.generator.GeneratedEvents;
import dev.dataforge.codec.generator.GeneratorSettings;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JSON → slot transcoding: generated events rendered by {@link JsonRecordWriter} come back field for field, and
 * every kind of malformed record is refused with a reason.
 */
class JsonTranscoderTest
{
    private final RecordLayout layout = SbeLayouts.userEvent();
    private final JsonTranscoder transcoder = new JsonTranscoder(layout, Set.of("event_id", "event_time"));
    private final UnsafeBuffer slot = new UnsafeBuffer(new byte[1024]);

    @Test
    void generatedEventsRoundTripThroughJson() throws Exception
    {
        final JsonRecordWriter writer = new JsonRecordWriter(layout);
        final int[] count = {0};
        GeneratedEvents.forEach(new GeneratorSettings(9, 0, 20_000, GeneratorSettings.DEFAULT_TYPES, 500, 0.05, 4, 20,
            -86_400_000_000L), (original, base) ->
        {
            final int n = writer.write(original, base);
            final int status = transcoder.transcode(writer.array(), 0, n, slot, 0);
            assertEquals(JsonTranscoder.OK, status, transcoder.error());
            assertEquals(original.getShort(base + 2), slot.getShort(2), "template id");
            for (final Field f : layout.fields())
            {
                assertEquals(f.isNull(original, base), f.isNull(slot, 0), f.name());
                if (!f.isNull(original, base))
                {
                    assertEquals(value(f, original, base), value(f, slot, 0), f.name());
                }
            }
            count[0]++;
        });
        assertEquals(20_000, count[0]);
    }

    private static Object value(final Field f, final org.agrona.DirectBuffer b, final int base)
    {
        switch (f.type())
        {
            case STRING: return f.getString(b, base);
            case DOUBLE: return f.getDouble(b, base);
            default: return f.getLong(b, base);
        }
    }

    @Test
    void decodesEscapesUnicodeAndIsoTimesAndSkipsUnknownKeys()
    {
        final String json = "{ \"event_id\": 7, \"extra\": {\"a\": [1, {\"b\": \"}\"}]}, \"event_time\": " +
            "\"2026-01-02T03:04:05.123456Z\", \"page\": \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\\", " +
            "\"amount\": -12.5, \"user_id\": null, \"type\": \"click\" }";
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertEquals(JsonTranscoder.OK, transcoder.transcode(bytes, 0, bytes.length, slot, 0), transcoder.error());
        assertEquals(7, layout.field("event_id").getLong(slot, 0));
        assertEquals(1_767_323_045_123_456L, layout.field("event_time").getLong(slot, 0));
        assertEquals("caf\u00e9 \uD83D\uDE00 \"q\" \\", layout.field("page").getString(slot, 0));
        assertEquals(-1250, layout.field("amount").getLong(slot, 0));
        assertTrue(layout.field("user_id").isNull(slot, 0));
        assertTrue(layout.field("currency").isNull(slot, 0), "absent means NULL");
        assertEquals("click", layout.field("type").getString(slot, 0));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"event_id\": 1, \"event_time\": 2|1|truncated JSON",
        "[1, 2]|1|not a JSON object",
        "{\"event_id\": 1 \"event_time\": 2}|1|expected ',' or '}'",
        "{\"event_id\": 1, \"event_time\": 2} trailing|1|unexpected data after the object",
        "{\"event_id\": \"one\", \"event_time\": 2}|2|field 'event_id' must be a number",
        "{\"event_id\": 1.5, \"event_time\": 2}|2|field 'event_id' must be a whole number",
        "{\"event_id\": 1, \"event_time\": 2, \"amount\": 1.234}|5|more than 2 decimal places",
        "{\"event_id\": 99999999999999999999, \"event_time\": 2}|5|out of range",
        "{\"event_time\": 2}|3|missing required field 'event_id'",
        "{\"event_id\": null, \"event_time\": 2}|3|required field 'event_id' is null",
        "{\"event_id\": 1, \"event_time\": 2, \"currency\": \"EURO\"}|4|longer than 3 bytes",
        "{\"event_id\": 1, \"event_time\": \"yesterday\"}|2|ISO-8601",
        "{\"event_id\": 1, \"event_time\": 2, \"type\": 5}|2|field 'type' must be a string",
        "{\"event_id\": 1, \"event_time\": 2, \"page\": \"bad \\x escape\"}|1|bad escape",
    })
    void refusesMalformedRecordsWithAReason(final String json, final int code, final String reason)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertEquals(code, transcoder.transcode(bytes, 0, bytes.length, slot, 0), json + ": " + transcoder.error());
        assertTrue(transcoder.error().contains(reason), transcoder.error());
    }

    @Test
    void binaryGarbageIsRefused()
    {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int i = 0; i < 10_000; i++)
        {
            final byte[] garbage = new byte[random.nextInt(1, 200)];
            random.nextBytes(garbage);
            final int status = transcoder.transcode(garbage, 0, garbage.length, slot, 0);
            assertTrue(status != JsonTranscoder.OK, "garbage accepted");
        }
    }

    @Test
    void unknownKeysAreCountedAndEachNewNameIsReportedOnce()
    {
        final byte[] known = "{\"event_id\": 1, \"event_time\": 2}".getBytes(StandardCharsets.UTF_8);
        final byte[] color = "{\"event_id\": 1, \"color\": \"red\", \"event_time\": 2, \"size\": 3}"
            .getBytes(StandardCharsets.UTF_8);
        final byte[] size = "{\"size\": 4, \"event_id\": 1, \"event_time\": 2}".getBytes(StandardCharsets.UTF_8);
        assertEquals(JsonTranscoder.OK, transcoder.transcode(known, 0, known.length, slot, 0));
        assertEquals(0, transcoder.unknownFields());
        assertEquals(null, transcoder.unknownField());

        assertEquals(JsonTranscoder.OK, transcoder.transcode(color, 0, color.length, slot, 0));
        assertEquals(2, transcoder.unknownFields());
        assertTrue(transcoder.unknownFieldIsNew());
        assertEquals("color", transcoder.unknownField());
        assertEquals(1, layout.field("event_id").getLong(slot, 0), "known fields still written");

        assertEquals(JsonTranscoder.OK, transcoder.transcode(color, 0, color.length, slot, 0));
        assertTrue(!transcoder.unknownFieldIsNew(), "color was reported already");

        assertEquals(JsonTranscoder.OK, transcoder.transcode(size, 0, size.length, slot, 0));
        assertEquals("size", transcoder.unknownField());
        assertTrue(transcoder.unknownFieldIsNew(), "size came second in the earlier record: new as a first key");
        assertEquals(JsonTranscoder.OK, transcoder.transcode(known, 0, known.length, slot, 0));
        assertEquals(0, transcoder.unknownFields(), "counts are per record");
    }

    @Test
    void doublesParseExactlyAsTheJdkDoesWithOrWithoutTheFastPath()
    {
        final RecordLayout doubles = RecordLayout.of("d", java.util.List.of(new Field("x", dev.dataforge.codec
            .FieldType.DOUBLE, 0, 8, 0)), 0);
        final JsonTranscoder t = new JsonTranscoder(doubles, Set.of("x"));
        final java.util.Random random = new java.util.Random(7);
        final java.util.List<String> texts = new java.util.ArrayList<>(java.util.List.of("0", "-0.0", "1", "-1.5",
            "0.1", "0.3", "123456789012345.6", "9007199254740993", "1e3", "-2.5E-3", "12345678901234567890.5",
            "0.00000000000000000000001", "1.7976931348623157e308"));
        for (int i = 0; i < 20_000; i++)
        {
            final double d = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(12));
            texts.add(new java.math.BigDecimal(d).round(new java.math.MathContext(1 + random.nextInt(17)))
                .toPlainString());
        }
        for (final String text : texts)
        {
            final byte[] json = ("{\"x\": " + text + "}").getBytes(StandardCharsets.UTF_8);
            assertEquals(JsonTranscoder.OK, t.transcode(json, 0, json.length, slot, 0), t.error());
            assertEquals(Double.doubleToLongBits(Double.parseDouble(text)), Double.doubleToLongBits(
                doubles.field("x").getDouble(slot, 0)), text);
        }
    }
}

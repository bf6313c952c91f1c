package dev.dataforge.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonRecordWriterTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecordLayout layout = SbeLayouts.userEvent().withEnrichment(List.of(
        new Field("score", FieldType.DOUBLE, 0, 8, 0), new Field("vip", FieldType.BOOLEAN, 0, 1, 0)));

    @Test
    void randomRecordsParseBackToTheirValues() throws Exception
    {
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[1024]);
        final JsonRecordWriter writer = new JsonRecordWriter(layout);
        final SplittableRandom random = new SplittableRandom(3);
        final String[] texts = {"click", "a\"quote", "back\\slash", "tab\there", "new\nline", "caf\u00e9",
            "\u65e5\u672c", "ctl\u0001x"};
        for (int i = 0; i < 5000; i++)
        {
            final long time = random.nextLong(-5_000_000_000_000_000L, 5_000_000_000_000_000L);
            final long amount = random.nextLong(-10_000_000, 10_000_000);
            final String text = texts[random.nextInt(texts.length)];
            final boolean nulls = random.nextInt(5) == 0;
            layout.field("event_id").putLong(slot, 0, i);
            layout.field("event_time").putLong(slot, 0, time);
            for (final String n : new String[] {"user_id", "session_id", "type", "page", "amount", "currency", "score",
                "vip"})
            {
                layout.field(n).putNull(slot, 0);
            }
            if (!nulls)
            {
                layout.field("user_id").putLong(slot, 0, -i);
                layout.field("type").putString(slot, 0, text.getBytes(StandardCharsets.UTF_8));
                layout.field("amount").putLong(slot, 0, amount);
                layout.field("score").putDouble(slot, 0, random.nextDouble() * 1e6);
                layout.field("vip").putBoolean(slot, 0, random.nextBoolean());
            }
            final String json = writer.toJson(slot, 0);
            final JsonNode n = JSON.readTree(json);
            assertEquals(i, n.get("event_id").asLong());
            final Instant instant = Instant.ofEpochSecond(Math.floorDiv(time, 1_000_000L),
                Math.floorMod(time, 1_000_000L) * 1000);
            assertEquals(String.format("%sZ", java.time.LocalDateTime.ofInstant(instant, java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS"))),
                n.get("event_time").asText(), "micros " + time);
            if (nulls)
            {
                assertTrue(n.get("type").isNull() && n.get("amount").isNull() && n.get("vip").isNull());
                continue;
            }
            assertEquals(-i, n.get("user_id").asLong());
            assertEquals(text, n.get("type").asText());
            assertTrue(json.contains("\"amount\":" + BigDecimal.valueOf(amount, 2).toPlainString() + ","), json);
            assertEquals(layout.field("score").getDouble(slot, 0), n.get("score").asDouble());
            assertEquals(layout.field("vip").getBoolean(slot, 0), n.get("vip").asBoolean());
        }
    }

    @Test
    void decimalsKeepTheirScale()
    {
        final JsonRecordWriter w = new JsonRecordWriter(layout);
        w.appendDecimal(-5, 2);
        w.appendByte(' ');
        w.appendDecimal(10000, 2);
        w.appendByte(' ');
        w.appendDecimal(7, 0);
        assertEquals("-0.05 100.00 7", new String(w.array(), 0, w.length(), StandardCharsets.US_ASCII));
    }
}

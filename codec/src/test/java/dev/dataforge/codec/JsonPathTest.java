package dev.dataforge.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static dev.dataforge.codec.JsonPath.ARRAY;
import static dev.dataforge.codec.JsonPath.FALSE;
import static dev.dataforge.codec.JsonPath.MISSING;
import static dev.dataforge.codec.JsonPath.NULL;
import static dev.dataforge.codec.JsonPath.NUMBER;
import static dev.dataforge.codec.JsonPath.OBJECT;
import static dev.dataforge.codec.JsonPath.STRING;
import static dev.dataforge.codec.JsonPath.TRUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Paths into JSON values: found kinds and texts follow DuckDB's json_extract, strings decode and compare with
 * their escapes, numbers read exactly, and garbage is MISSING, never an exception.
 */
class JsonPathTest
{
    private static final String ISSUE = "{\"id\": 42, \"owner\": {\"login\": \"octo\", \"id\": 7, \"site_admin\": false},"
        + " \"labels\": [{\"name\": \"bug\", \"color\": \"f00\"}, {\"name\": \"help wanted\"}],"
        + " \"title\": \"Fix \\\"quotes\\\" \\u00e9\", \"body\": null, \"locked\": true, \"score\": -12.50,"
        + " \"matrix\": [[1, 2], [3, [4, 5]]], \"empty\": {}, \"none\": [],"
        + " \"a b\": 1, \"k\\u0065y\": \"escaped key\", \"dup\": 1, \"dup\": 2,"
        + " \"twice\": {\"c\": 1}, \"twice\": {\"b\": 2}, \"caf\u00e9\": \"\ud83d\ude00\"}";

    /** document, path, kind, text: a string's decoded value, or the raw bytes of any other value. */
    private static final Object[][] CASES = {
        {ISSUE, "", OBJECT, ISSUE},
        {ISSUE, ".id", NUMBER, "42"},
        {ISSUE, ".owner.login", STRING, "octo"},
        {ISSUE, ".owner.id", NUMBER, "7"},
        {ISSUE, ".owner.site_admin", FALSE, "false"},
        {ISSUE, ".owner", OBJECT, "{\"login\": \"octo\", \"id\": 7, \"site_admin\": false}"},
        {ISSUE, ".labels[0].name", STRING, "bug"},
        {ISSUE, ".labels[1].name", STRING, "help wanted"},
        {ISSUE, ".labels[1].color", MISSING, null},
        {ISSUE, ".labels[2].name", MISSING, null},
        {ISSUE, ".labels[0]", OBJECT, "{\"name\": \"bug\", \"color\": \"f00\"}"},
        {ISSUE, ".labels", ARRAY, "[{\"name\": \"bug\", \"color\": \"f00\"}, {\"name\": \"help wanted\"}]"},
        {ISSUE, ".title", STRING, "Fix \"quotes\" \u00e9"},
        {ISSUE, ".body", NULL, "null"},
        {ISSUE, ".locked", TRUE, "true"},
        {ISSUE, ".score", NUMBER, "-12.50"},
        {ISSUE, ".matrix[1][1][0]", NUMBER, "4"},
        {ISSUE, ".matrix[1][1]", ARRAY, "[4, 5]"},
        {ISSUE, ".matrix[0][2]", MISSING, null},
        {ISSUE, ".matrix[1][0][0]", MISSING, null},
        {ISSUE, ".empty", OBJECT, "{}"},
        {ISSUE, ".empty.x", MISSING, null},
        {ISSUE, ".none", ARRAY, "[]"},
        {ISSUE, ".none[0]", MISSING, null},
        {ISSUE, ".\"a b\"", NUMBER, "1"},
        {ISSUE, ".key", STRING, "escaped key"},
        {ISSUE, ".dup", NUMBER, "1"},
        {ISSUE, ".twice.c", NUMBER, "1"},
        {ISSUE, ".twice.b", MISSING, null},
        {ISSUE, ".\"caf\u00e9\"", STRING, "\ud83d\ude00"},
        {ISSUE, ".nope", MISSING, null},
        {ISSUE, "[0]", MISSING, null},
        {ISSUE, ".labels.name", MISSING, null},
        {ISSUE, ".id.x", MISSING, null},
        {ISSUE, ".title[0]", MISSING, null},
        {"[10, \"x\", [true]]", "[0]", NUMBER, "10"},
        {"[10, \"x\", [true]]", "[1]", STRING, "x"},
        {"[10, \"x\", [true]]", "[2][0]", TRUE, "true"},
        {"[10, \"x\", [true]]", "[3]", MISSING, null},
        {"  \"top\"  ", "", STRING, "top"},
        {" 3.5e2 ", "", NUMBER, "3.5e2"},
        {"{\"s\": \"a\\\\b\\/c\\n\\t\\r\\b\\f\"}", ".s", STRING, "a\\b/c\n\t\r\b\f"},
        {"{\"s\": \"\\uD83D\\uDE00 \\u20AC \\u00e9 \\u0041\"}", ".s", STRING, "\ud83d\ude00 \u20ac \u00e9 A"},
        {"{\"s\": \"lone \\uD83D x\"}", ".s", STRING, "lone \ufffd x"},
        {"{\"\\u0061\\\"b\": 1, \"a\\\"b\": 2}", ".\"a\\\"b\"", NUMBER, "1"},
        {"{\"\\ud83d\\ude00\": 5}", ".\"\ud83d\ude00\"", NUMBER, "5"},
        {"{\"ab\": 1, \"a\": 2}", ".a", NUMBER, "2"},
        {"{\"a\": 1, \"ab\": 2}", ".ab", NUMBER, "2"},
        {"{\"skip\": {\"x\": \"}]\\\"[{\", \"y\": [[{}]]}, \"t\": \"found\"}", ".t", STRING, "found"},
        {"{\"a-b$\": 1, \"_c\": 2}", ".a-b$", NUMBER, "1"},
        {"{\"a-b$\": 1, \"_c\": 2}", "._c", NUMBER, "2"},
    };

    /** Not JSON: no path throws, and paths that need more structure than there is are MISSING. */
    private static final String[] GARBAGE = {
        "", " ", "{", "[", "\"", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\" 1}", "{a:1}", "{\"a\":\"unterminated",
        "[1,", "[1 2]", "{\"b\":[1,2,{\"c\":\"\\", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":tru}",
        "{\"a\":nul", "{\"a\":\"\\u12\"}", "{\"a\":\"\\uZZZZ\"}", "}}}}", "]]]]", "\\\\\\\\", "{\"b\":{{{{", "{\"a\" :",
        "{\"b\": 1,, \"a\": 2}", "{\"a\":1e}", "{\"a\":,}",
    };

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    private final byte[] decoded = new byte[256];

    @Test
    void findsWhatDuckDbWould()
    {
        for (final Object[] c : CASES)
        {
            final String json = (String)c[0];
            final String path = (String)c[1];
            final int kind = (Integer)c[2];
            final String text = (String)c[3];
            final JsonPath p = JsonPath.parse(path);
            final int start = wrapPadded(json);
            final int length = json.getBytes(StandardCharsets.UTF_8).length;
            final String what = json + " " + path;
            assertEquals(JsonPath.kindName(kind), JsonPath.kindName(p.find(buffer, start, length)), what);
            if (kind == STRING)
            {
                final int n = p.decodeString(buffer, decoded);
                assertEquals(text, new String(decoded, 0, n, StandardCharsets.UTF_8), what);
                assertTrue(p.stringEquals(buffer, text.getBytes(StandardCharsets.UTF_8)), what);
                assertFalse(p.stringEquals(buffer, (text + "x").getBytes(StandardCharsets.UTF_8)), what);
                assertEquals(!text.equals(raw(p)), p.hasEscapes(), what);
            }
            else if (kind != MISSING)
            {
                assertEquals(text, raw(p), what);
                assertFalse(p.stringEquals(buffer, text.getBytes(StandardCharsets.UTF_8)), what);
                assertEquals(-1, p.decodeString(buffer, decoded), what);
            }
        }
    }

    @Test
    void stringsCompareDecoded()
    {
        final JsonPath p = JsonPath.parse(".s");
        final String json = "{\"s\": \"caf\\u00e9 \\\"ok\\\"\"}";
        assertEquals(STRING, p.find(buffer, wrapPadded(json), json.length()));
        assertTrue(p.hasEscapes());
        assertTrue(p.stringEquals(buffer, "caf\u00e9 \"ok\"".getBytes(StandardCharsets.UTF_8)));
        assertFalse(p.stringEquals(buffer, "caf\u00e9 \"ok".getBytes(StandardCharsets.UTF_8)));
        assertFalse(p.stringEquals(buffer, "cafe \"ok\"".getBytes(StandardCharsets.UTF_8)));
        assertFalse(p.stringEquals(buffer, new byte[0]));
        assertEquals(-1, p.decodeString(buffer, new byte[5]));
        assertEquals(10, p.decodeString(buffer, new byte[10]));
        final String plain = "{\"s\": \"plain\"}";
        assertEquals(STRING, p.find(buffer, wrapPadded(plain), plain.length()));
        assertFalse(p.hasEscapes());
        assertEquals(-1, p.decodeString(buffer, new byte[4]));
        assertEquals(5, p.decodeString(buffer, new byte[5]));
        assertFalse(p.stringEquals(buffer, "plai".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void numbersReadExactly()
    {
        number("0", true, 0, 0.0, 0);
        number("-0", true, 0, -0.0, 0);
        number("42", true, 42, 42.0, 4200);
        number("-7", true, -7, -7.0, -700);
        number("9223372036854775807", true, Long.MAX_VALUE, 9.223372036854775807e18, Long.MIN_VALUE);
        number("-9223372036854775808", true, Long.MIN_VALUE, -9.223372036854775808e18, Long.MIN_VALUE);
        number("9223372036854775808", false, Long.MAX_VALUE, 9.223372036854775808e18, Long.MIN_VALUE);
        number("12.5", false, 12, 12.5, 1250);
        number("-12.50", false, -12, -12.5, -1250);
        number("0.125", false, 0, 0.125, Long.MIN_VALUE);
        number("1.00000000000000000000000", false, 1, 1.0, 100);
        number("1e5", false, 100000, 1e5, 10000000);
        number("1E+2", false, 100, 100.0, 10000);
        number("25e-1", false, 2, 2.5, 250);
        number("1e-2", false, 0, 0.01, 1);
        number("1e-3", false, 0, 0.001, Long.MIN_VALUE);
        number("1e30", false, Long.MAX_VALUE, 1e30, Long.MIN_VALUE);
        number("0e999999999", false, 0, 0.0, 0);
        number("5e-999999999", false, 0, 0.0, Long.MIN_VALUE);
        number("1e400", false, Long.MAX_VALUE, Double.POSITIVE_INFINITY, Long.MIN_VALUE);
        number("0.1", false, 0, 0.1, 10);
        number("3.14159", false, 3, 3.14159, Long.MIN_VALUE);
        number("3.14000", false, 3, 3.14, 314);
        number("-123456789012345.678", false, -123456789012345L, -123456789012345.678, Long.MIN_VALUE);
        number("123456789012345678901234567890", false, Long.MAX_VALUE, 1.2345678901234568e29, Long.MIN_VALUE);
        number("0.30000000000000004", false, 0, 0.30000000000000004, Long.MIN_VALUE);
        number("2.2250738585072014e-308", false, 0, Double.MIN_NORMAL, Long.MIN_VALUE);
        number("4.9e-324", false, 0, Double.MIN_VALUE, Long.MIN_VALUE);
        number("1.7976931348623157e308", false, Long.MAX_VALUE, Double.MAX_VALUE, Long.MIN_VALUE);
        number("9007199254740993", true, 9007199254740993L, 9007199254740992.0, 900719925474099300L);
        number("123e25", false, Long.MAX_VALUE, 123e25, Long.MIN_VALUE);
        number("0.000001234", false, 0, 1.234e-6, Long.MIN_VALUE);
    }

    @Test
    void doublesAreCorrectlyRounded()
    {
        final Random random = new Random(17);
        final JsonPath p = JsonPath.parse("[0]");
        for (int i = 0; i < 20_000; i++)
        {
            final String text;
            switch (i % 4)
            {
                case 0: text = Double.toString(Double.longBitsToDouble(random.nextLong() & 0x7FEFFFFFFFFFFFFFL))
                    .replace("E", "e"); break;
                case 1: text = (random.nextInt(2_000_000) - 1_000_000) + "." + random.nextInt(1_000_000); break;
                case 2: text = random.nextLong() % 100_000_000_000_000_000L + "e" + (random.nextInt(60) - 30); break;
                default: text = "0." + Long.toString(random.nextLong() & Long.MAX_VALUE); break;
            }
            final String json = "[" + text + "]";
            assertEquals(NUMBER, p.find(buffer, wrapPadded(json), json.length()), json);
            assertEquals(Double.parseDouble(text), p.doubleValue(), json);
        }
    }

    @Test
    void garbageIsMissingWithoutExceptions()
    {
        final JsonPath[] paths = {JsonPath.parse(""), JsonPath.parse(".a"), JsonPath.parse(".b[2].c"),
            JsonPath.parse("[0]"), JsonPath.parse(".a[0]")};
        for (final String json : GARBAGE)
        {
            final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            buffer.wrap(bytes);
            for (final JsonPath p : paths)
            {
                final int kind = p.find(buffer, 0, bytes.length);
                if (p == paths[2] || p == paths[4])
                {
                    assertEquals(MISSING, kind, json + " " + p);
                }
                p.decodeString(buffer, decoded);
                p.stringEquals(buffer, decoded);
                p.doubleValue();
                p.scaledValue(2);
            }
        }
        // every prefix of a real document, and random bytes, never throw (the buffer is exactly the region)
        final byte[] issue = ISSUE.getBytes(StandardCharsets.UTF_8);
        final JsonPath deep = JsonPath.parse(".matrix[1][1][1]");
        for (int n = 0; n < issue.length; n++)
        {
            final byte[] prefix = java.util.Arrays.copyOf(issue, n);
            buffer.wrap(prefix);
            for (final JsonPath p : paths)
            {
                p.find(buffer, 0, n);
            }
            final int five = new String(issue, StandardCharsets.ISO_8859_1).indexOf("5]]]");
            assertEquals(n > five ? NUMBER : MISSING, deep.find(buffer, 0, n), "prefix of " + n + " bytes");
        }
        final Random random = new Random(3);
        final byte[] alphabet = "{}[]\":,\\ tfn0-.e1ua".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] noise = new byte[random.nextInt(24)];
            for (int j = 0; j < noise.length; j++)
            {
                noise[j] = alphabet[random.nextInt(alphabet.length)];
            }
            buffer.wrap(noise);
            for (final JsonPath p : paths)
            {
                p.find(buffer, 0, noise.length);
                p.decodeString(buffer, decoded);
                p.doubleValue();
            }
        }
        buffer.wrap(new byte[4]);
        assertEquals(MISSING, paths[0].find(buffer, 2, 4));
        assertEquals(MISSING, paths[0].find(buffer, -1, 2));
    }

    @Test
    void parsesPaths()
    {
        assertEquals(0, JsonPath.parse("").segments());
        assertEquals("$", JsonPath.parse("").toSql());
        assertEquals("$.owner.login", JsonPath.parse(".owner.login").toSql());
        assertEquals("$[0].name", JsonPath.parse("[0].name").toSql());
        assertEquals("$.labels[0].name", JsonPath.parse(".labels[0].name").toSql());
        assertEquals("$[2][1]", JsonPath.parse("[2][1]").toSql());
        assertEquals("$.\"a b\"", JsonPath.parse(".\"a b\"").toSql());
        assertEquals("$.\"a-b\".\"c$\"", JsonPath.parse(".a-b.c$").toSql());
        assertEquals("$.\"q\\\"\\\\\"", JsonPath.parse(".\"q\\\"\\\\\"").toSql());
        assertEquals("$.plain", JsonPath.parse(".\"plain\"").toSql());
        assertEquals("$.\"1st\"[10]", JsonPath.of(List.of("1st", 10)).toSql());
        assertEquals(".labels[0].name", JsonPath.of(List.of("labels", 0, "name")).toString());
        final JsonPath roundTrip = JsonPath.parse(".\"x\\\"y\".z[3]");
        assertEquals(roundTrip.toString(), JsonPath.parse(roundTrip.toString()).toString());
        assertEquals(3, roundTrip.segments());

        error("owner", 0);
        error(".", 1);
        error("..a", 1);
        error(".1a", 1);
        error(".a.", 3);
        error("[", 1);
        error("[]", 1);
        error("[-1]", 1);
        error("[1", 2);
        error("[1a]", 2);
        error("[99999999999]", 1);
        error(".a b", 2);
        error(".\"a", 3);
        error(".\"\"", 2);
        error(".\"a\\b\"", 3);
        error("$.a", 0);
        assertThrows(IllegalArgumentException.class, () -> JsonPath.of(List.of("")));
        assertThrows(IllegalArgumentException.class, () -> JsonPath.of(List.of(-1)));
        assertThrows(IllegalArgumentException.class, () -> JsonPath.of(List.of(1L)));
    }

    private static void error(final String path, final int position)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonPath.parse(path),
            path);
        assertTrue(e.getMessage().contains("at position " + position + ":"), e.getMessage());
    }

    private void number(final String text, final boolean exact, final long asLong, final double asDouble,
        final long atScale2)
    {
        final JsonPath p = JsonPath.parse(".n");
        final String json = "{\"n\":" + text + "}";
        assertEquals(NUMBER, p.find(buffer, wrapPadded(json), json.length()), text);
        assertEquals(text, raw(p));
        assertEquals(exact, p.isExactInteger(), text);
        assertEquals(asLong, p.longValue(), text);
        assertEquals(asDouble, p.doubleValue(), text);
        assertEquals(atScale2, p.scaledValue(2), text);
        if (exact)
        {
            assertEquals(asLong, p.scaledValue(0), text);
        }
    }

    /** Puts the document between junk bytes, so that positions are absolute and nothing reads outside it. */
    private int wrapPadded(final String json)
    {
        final byte[] doc = json.getBytes(StandardCharsets.UTF_8);
        final byte[] all = new byte[doc.length + 6];
        all[0] = '[';
        all[1] = '"';
        all[2] = '{';
        System.arraycopy(doc, 0, all, 3, doc.length);
        all[doc.length + 3] = '1';
        all[doc.length + 4] = '"';
        all[doc.length + 5] = '}';
        buffer.wrap(all);
        return 3;
    }

    private String raw(final JsonPath p)
    {
        return buffer.getStringWithoutLengthUtf8(p.valueStart(), p.valueEnd() - p.valueStart());
    }
}

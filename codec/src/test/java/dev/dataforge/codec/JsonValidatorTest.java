package dev.dataforge.codec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.dataforge.codec.JsonValidator.INVALID;
import static dev.dataforge.codec.JsonValidator.TOO_DEEP;
import static dev.dataforge.codec.JsonValidator.TRUNCATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strict validation of one JSON value: what RFC 8259 accepts ends where it should, what it refuses is INVALID,
 * every prefix of a value is TRUNCATED, and nesting is bounded.
 */
class JsonValidatorTest
{
    private static final String NESTED = "{\"a\": [1, -2.5e+3, true, false, null, \"x\\\"y\\u00e9\"],"
        + " \"b\": {\"c\": {}, \"d\": [], \"e\": [[0], {\"f\": \"\"}]}, \"g\": 0.125E-2}";

    private static final String[] VALID = {
        "0", "-0", "1", "123", "-123", "1.5", "-0.0", "1e5", "1E5", "1e+5", "1e-5", "-1.25e-10", "0e0",
        "12345678901234567890123", "true", "false", "null", "\"\"", "\"abc\"", "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"",
        "\"\\u0041\\u00e9\\uD83D\\uDE00\\uABCD\\uabcd\"", "\"caf\u00e9 \u20ac \ud83d\ude00\"", "[]", "{}", "[1]",
        "[1,2,3]", "[ 1 , 2 ]", "{\"a\":1}", "{ \"a\" : 1 , \"b\" : [ ] }", "{\"\":\"\"}", "[[[]]]",
        "[{\"a\":[{}]}]", "\t\n\r [1]", NESTED,
    };

    private static final String[] INVALID_JSON = {
        "01", "-01", "00", "[1.]", "1.x", ".5", "-x", "+1", "1ex", "[1e]", "1e+x", "1.e5", "[-]", "1x", "1.5.3",
        "0x10", "NaN", "Infinity", "-Infinity", "trux", "[tru]", "truex", "True", "nulx", "[nulll]", "\"\\x\"",
        "\"\\u12G4\"", "\"\\U0041\"", "\"a\u0001b\"", "\"tab\there\"", "\"new\nline\"", "[1,]", "[,1]", "[1 2]",
        "{\"a\":1,}", "{,}", "{\"a\" 1}", "{\"a\":}", "{a:1}", "{'a':1}", "{\"a\":1 \"b\":2}", "{1:2}", "[}",
        "{]", "[1}", "]", "}", ",", ":", "'a'", "/* c */ 1", "[\"a\",]",
    };

    private static final String[] TRUNCATED_JSON = {
        "", "   ", "[", "{", "\"", "\"abc", "\"\\", "\"\\u00", "[1", "[1,", "{\"a\"", "{\"a\":", "{\"a\":1",
        "{\"a\":1,", "-", "1.", "1e", "1e-", "t", "fals", "[[[]]", "[{}",
    };

    @Test
    void validValuesEndWhereTheyShould()
    {
        for (final String json : VALID)
        {
            final byte[] in = bytes(json);
            assertEquals(in.length, JsonValidator.skipValue(in, 0, in.length, 64), json);
            final byte[] padded = bytes(json + "  ,x");
            assertEquals(in.length, JsonValidator.skipValue(padded, 0, padded.length, 64), json + " padded");
        }
    }

    @Test
    void invalidValuesAreRefused()
    {
        for (final String json : INVALID_JSON)
        {
            final byte[] in = bytes(json);
            assertEquals(INVALID, JsonValidator.skipValue(in, 0, in.length, 64), json);
        }
    }

    @Test
    void truncatedValuesAreTruncated()
    {
        for (final String json : TRUNCATED_JSON)
        {
            final byte[] in = bytes(json);
            assertEquals(TRUNCATED, JsonValidator.skipValue(in, 0, in.length, 64), json);
        }
    }

    @Test
    void everyPrefixOfANestedValueIsTruncated()
    {
        for (final String json : new String[] {NESTED, "[\"\\uD83D\\uDE00\", {\"k\": [true, null, -0.5e-7]}]"})
        {
            final byte[] full = bytes(json);
            assertEquals(full.length, JsonValidator.skipValue(full, 0, full.length, 64));
            for (int n = 0; n < full.length; n++)
            {
                // once with the bytes cut short, once bounded by end within the whole value
                final byte[] prefix = Arrays.copyOf(full, n);
                assertEquals(TRUNCATED, JsonValidator.skipValue(prefix, 0, n, 64), json.substring(0, n));
                assertEquals(TRUNCATED, JsonValidator.skipValue(full, 0, n, 64), json.substring(0, n));
            }
        }
    }

    @Test
    void valueInsideALargerBuffer()
    {
        final byte[] in = bytes("xx  {\"a\":[1,2]}  yy");
        assertEquals(15, JsonValidator.skipValue(in, 2, in.length, 8));
        assertEquals(7, JsonValidator.skipValue(bytes("[1] [2] 3"), 4, 9, 8));
        assertEquals(9, JsonValidator.skipValue(bytes("[1] [2] 3"), 7, 9, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> JsonValidator.skipValue(in, 0, in.length + 1, 8));
    }

    @Test
    void nestingIsBoundedByMaxDepth()
    {
        assertEquals(1, JsonValidator.skipValue(bytes("1"), 0, 1, 0));
        assertEquals(TOO_DEEP, JsonValidator.skipValue(bytes("[]"), 0, 2, 0));
        assertEquals(3, JsonValidator.skipValue(bytes("[1]"), 0, 3, 1));
        assertEquals(TOO_DEEP, JsonValidator.skipValue(bytes("[[1]]"), 0, 5, 1));
        assertEquals(TOO_DEEP, JsonValidator.skipValue(bytes("{\"a\":{}}"), 0, 8, 1));
        for (final int depth : new int[] {1, 10, 64, 65, 128})
        {
            final byte[] arrays = nested(depth, "[", "]", "0");
            final byte[] objects = nested(depth, "{\"k\":", "}", "\"v\"");
            final int expected = depth <= 64 ? arrays.length : TOO_DEEP;
            assertEquals(expected, JsonValidator.skipValue(arrays, 0, arrays.length, 64), "arrays " + depth);
            assertEquals(depth <= 64 ? objects.length : TOO_DEEP,
                JsonValidator.skipValue(objects, 0, objects.length, 64), "objects " + depth);
        }
        final byte[] deep = nested(1_000_000, "[", "]", "");
        assertEquals(TOO_DEEP, JsonValidator.skipValue(deep, 0, deep.length, 128));
    }

    @Test
    void describesEveryCode()
    {
        assertTrue(JsonValidator.describe(INVALID).contains("invalid"));
        assertTrue(JsonValidator.describe(TRUNCATED).contains("truncated"));
        assertTrue(JsonValidator.describe(TOO_DEEP).contains("deep"));
        assertTrue(JsonValidator.describe(5).contains("valid"));
    }

    private static byte[] nested(final int depth, final String open, final String close, final String inner)
    {
        return (open.repeat(depth) + inner + close.repeat(depth)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theWordScanStopsAtEveryQuoteBackslashAndControlByteAndNothingElse()
    {
        for (int b = 0; b < 256; b++)
        {
            final boolean ends = b == '"' || b == '\\' || b < 0x20;
            for (int at = 0; at < 8; at++)
            {
                final byte[] word = "abcdefgh".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                word[at] = (byte)b;
                long w = 0;
                for (int i = 7; i >= 0; i--)
                {
                    w = w << 8 | (word[i] & 0xFF);
                }
                org.junit.jupiter.api.Assertions.assertEquals(ends, JsonValidator.special(w), "byte " + b + " at " + at);
                org.junit.jupiter.api.Assertions.assertEquals(ends ? 0 : 8, JsonValidator.plainRun(word, 0, 8),
                    "byte " + b + " at " + at);
            }
        }
    }
}

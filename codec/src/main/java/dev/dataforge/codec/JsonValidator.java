package dev.dataforge.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Strict RFC 8259 validation of one JSON value in a byte array, without allocating: objects, arrays, strings (with
 * their escapes), numbers, {@code true}, {@code false} and {@code null}.
 * <p>
 * Strings may hold any byte at or above 0x80 (UTF-8 is passed through, not validated) but no raw control character
 * below 0x20; escapes are {@code \" \\ \/ \b \f \n \r \t} and {@code \}{@code uXXXX} with four hex digits
 * (surrogates are not paired up). Numbers follow {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, and a
 * number or a literal must be followed by whitespace, {@code ,}, {@code ]}, <code>}</code> or the end, so
 * {@code 01} or {@code 1x} is invalid rather than a value that stops early.
 * <p>
 * The validator recurses once per level of nesting, so the Java stack it needs is bounded by {@code maxDepth}:
 * keep that modest (64 to a few hundred).
 */
public final class JsonValidator
{
    /** The bytes are not JSON. */
    public static final int INVALID = -1;
    /** The bytes end before the value does: a prefix of some valid value, or of nothing at all. */
    public static final int TRUNCATED = -2;
    /** Objects and arrays nest deeper than the allowed depth. */
    public static final int TOO_DEEP = -3;

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private JsonValidator()
    {
    }

    /**
     * Validates the one JSON value starting at {@code pos}, after any whitespace there.
     *
     * @param in       the bytes.
     * @param pos      where to start; whitespace there is skipped.
     * @param end      the end (exclusive) of what may be read.
     * @param maxDepth how deep objects and arrays may nest: 0 allows only scalars, 1 allows {@code [1]} but not
     *                 {@code [[1]]}.
     * @return the position just after the value (whitespace after it is not consumed), or {@link #INVALID},
     * {@link #TRUNCATED} or {@link #TOO_DEEP}.
     * @throws IndexOutOfBoundsException if {@code [pos, end)} is not inside {@code in}.
     */
    public static int skipValue(final byte[] in, final int pos, final int end, final int maxDepth)
    {
        Objects.checkFromToIndex(pos, end, in.length);
        return value(in, pos, end, maxDepth);
    }

    /**
     * @param code what {@link #skipValue} returned.
     * @return a message for it.
     */
    public static String describe(final int code)
    {
        switch (code)
        {
            case INVALID: return "invalid JSON";
            case TRUNCATED: return "truncated JSON: the input ends inside the value";
            case TOO_DEEP: return "JSON nested too deeply";
            default: return code >= 0 ? "valid JSON" : "unknown JSON validation code " + code;
        }
    }

    private static int value(final byte[] in, final int from, final int end, final int depthLeft)
    {
        final int p = skipSpace(in, from, end);
        if (p >= end)
        {
            return TRUNCATED;
        }
        switch (in[p])
        {
            case '"':
                return string(in, p + 1, end);
            case '{':
                return depthLeft <= 0 ? TOO_DEEP : object(in, p + 1, end, depthLeft - 1);
            case '[':
                return depthLeft <= 0 ? TOO_DEEP : array(in, p + 1, end, depthLeft - 1);
            case 't':
                return literal(in, p, end, TRUE);
            case 'f':
                return literal(in, p, end, FALSE);
            case 'n':
                return literal(in, p, end, NULL);
            case '-':
            case '0':
            case '1':
            case '2':
            case '3':
            case '4':
            case '5':
            case '6':
            case '7':
            case '8':
            case '9':
                return number(in, p, end);
            default:
                return INVALID;
        }
    }

    private static int object(final byte[] in, final int from, final int end, final int depthLeft)
    {
        int p = skipSpace(in, from, end);
        if (p >= end)
        {
            return TRUNCATED;
        }
        if (in[p] == '}')
        {
            return p + 1;
        }
        while (true)
        {
            if (in[p] != '"')
            {
                return INVALID;
            }
            p = string(in, p + 1, end);
            if (p < 0)
            {
                return p;
            }
            p = skipSpace(in, p, end);
            if (p >= end)
            {
                return TRUNCATED;
            }
            if (in[p] != ':')
            {
                return INVALID;
            }
            p = value(in, p + 1, end, depthLeft);
            if (p < 0)
            {
                return p;
            }
            p = skipSpace(in, p, end);
            if (p >= end)
            {
                return TRUNCATED;
            }
            final byte c = in[p];
            if (c == '}')
            {
                return p + 1;
            }
            if (c != ',')
            {
                return INVALID;
            }
            p = skipSpace(in, p + 1, end);
            if (p >= end)
            {
                return TRUNCATED;
            }
        }
    }

    private static int array(final byte[] in, final int from, final int end, final int depthLeft)
    {
        int p = skipSpace(in, from, end);
        if (p >= end)
        {
            return TRUNCATED;
        }
        if (in[p] == ']')
        {
            return p + 1;
        }
        while (true)
        {
            p = value(in, p, end, depthLeft);
            if (p < 0)
            {
                return p;
            }
            p = skipSpace(in, p, end);
            if (p >= end)
            {
                return TRUNCATED;
            }
            final byte c = in[p];
            if (c == ']')
            {
                return p + 1;
            }
            if (c != ',')
            {
                return INVALID;
            }
            p++;
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
        ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * @return true when one of the 8 bytes in {@code w} is a quote, a backslash or a control character (below
     * 0x20): what ends a string's plain run. Bit tricks on the whole word ("has zero byte" / "has byte less than"),
     * so a string's plain bytes are passed 8 at a time.
     */
    static boolean special(final long w)
    {
        final long quote = w ^ 0x2222222222222222L;
        final long backslash = w ^ 0x5C5C5C5C5C5C5C5CL;
        return ((((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((w - 0x2020202020202020L) & ~w)) &
            HIGHS) != 0;
    }

    /** @return the position of the first byte at or after {@code from} that may end a string's plain run. */
    static int plainRun(final byte[] in, final int from, final int end)
    {
        int p = from;
        while (p + 8 <= end && !special((long)LONGS.get(in, p)))
        {
            p += 8;
        }
        return p;
    }

    /** @param from just after the opening quote. */
    private static int string(final byte[] in, final int from, final int end)
    {
        int p = plainRun(in, from, end);
        while (p < end)
        {
            final byte c = in[p];
            if (c == '"')
            {
                return p + 1;
            }
            if (c == '\\')
            {
                if (p + 1 >= end)
                {
                    return TRUNCATED;
                }
                switch (in[p + 1])
                {
                    case '"':
                    case '\\':
                    case '/':
                    case 'b':
                    case 'f':
                    case 'n':
                    case 'r':
                    case 't':
                        p = plainRun(in, p + 2, end);
                        break;
                    case 'u':
                        p += 2;
                        for (int i = 0; i < 4; i++, p++)
                        {
                            if (p >= end)
                            {
                                return TRUNCATED;
                            }
                            if (!isHex(in[p]))
                            {
                                return INVALID;
                            }
                        }
                        break;
                    default:
                        return INVALID;
                }
            }
            else if (c >= 0 && c < 0x20)
            {
                return INVALID;
            }
            else
            {
                p++;
            }
        }
        return TRUNCATED;
    }

    private static int number(final byte[] in, final int from, final int end)
    {
        int p = from;
        if (in[p] == '-')
        {
            p++;
            if (p >= end)
            {
                return TRUNCATED;
            }
        }
        final byte first = in[p];
        if (first == '0')
        {
            p++;
        }
        else if (first >= '1' && first <= '9')
        {
            p = skipDigits(in, p + 1, end);
        }
        else
        {
            return INVALID;
        }
        if (p < end && in[p] == '.')
        {
            p++;
            if (p >= end)
            {
                return TRUNCATED;
            }
            if (!isDigit(in[p]))
            {
                return INVALID;
            }
            p = skipDigits(in, p + 1, end);
        }
        if (p < end && (in[p] == 'e' || in[p] == 'E'))
        {
            p++;
            if (p >= end)
            {
                return TRUNCATED;
            }
            if (in[p] == '+' || in[p] == '-')
            {
                p++;
                if (p >= end)
                {
                    return TRUNCATED;
                }
            }
            if (!isDigit(in[p]))
            {
                return INVALID;
            }
            p = skipDigits(in, p + 1, end);
        }
        return delimited(in, p, end);
    }

    private static int literal(final byte[] in, final int from, final int end, final byte[] word)
    {
        for (int i = 0; i < word.length; i++)
        {
            if (from + i >= end)
            {
                return TRUNCATED;
            }
            if (in[from + i] != word[i])
            {
                return INVALID;
            }
        }
        return delimited(in, from + word.length, end);
    }

    /** A number or literal ends at whitespace, a structural character that may follow a value, or the end. */
    private static int delimited(final byte[] in, final int p, final int end)
    {
        if (p >= end)
        {
            return p;
        }
        switch (in[p])
        {
            case ' ':
            case '\t':
            case '\n':
            case '\r':
            case ',':
            case ']':
            case '}':
                return p;
            default:
                return INVALID;
        }
    }

    private static int skipDigits(final byte[] in, final int from, final int end)
    {
        int p = from;
        while (p < end && isDigit(in[p]))
        {
            p++;
        }
        return p;
    }

    private static int skipSpace(final byte[] in, final int from, final int end)
    {
        int p = from;
        while (p < end)
        {
            final byte c = in[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            {
                break;
            }
            p++;
        }
        return p;
    }

    private static boolean isDigit(final byte c)
    {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(final byte c)
    {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}

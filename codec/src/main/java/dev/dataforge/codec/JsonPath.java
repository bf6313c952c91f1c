package dev.dataforge.codec;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled path into one JSON value, a sequence of keys ({@code .name}) and array indexes ({@code [0]}),
 * evaluated over the bytes of a {@link DirectBuffer} without building a tree and without allocating.
 * <p>
 * {@link #find} walks to the value at the path and returns its kind; the accessors then read that value in place:
 * {@link #valueStart()}/{@link #valueEnd()}, {@link #stringEquals} and {@link #decodeString} for strings,
 * {@link #isExactInteger()}, {@link #longValue()}, {@link #doubleValue()} and {@link #scaledValue(int)} for
 * numbers. The semantics are DuckDB's {@code json_extract} (see {@link #toSql()}): a key on anything but an object,
 * or an index on anything but an array, is {@link #MISSING}; so is an index past the end; of duplicate keys the
 * first one wins, and the walk never comes back to try a later one (DuckDB 2.0 gives {@code 1} for
 * {@code json_extract('{"a":1,"a":2}', '$.a')} and {@code NULL} for {@code '$.a.b'} on
 * <code>{"a":{"c":1},"a":{"b":2}}</code>). Keys are compared after decoding their escapes.
 * <p>
 * The value is expected to have been validated (see {@link JsonValidator}), but any bytes are safe: malformed
 * input the walk meets is {@link #MISSING}, never an exception or an endless loop, and nothing outside
 * {@code [start, start + length)} is read. Only the bytes on the way to the value and the value itself are looked
 * at, so garbage elsewhere (say after the value, or past the region's end) goes unnoticed. A lone surrogate escape,
 * which DuckDB refuses, decodes to U+FFFD.
 * <p>
 * An instance holds the result of its last {@link #find}, so it is not thread-safe: use one per thread.
 */
public final class JsonPath
{
    /** Nothing at the path, or the bytes are not JSON. */
    public static final int MISSING = 0;
    public static final int NULL = 1;
    public static final int STRING = 2;
    public static final int NUMBER = 3;
    public static final int TRUE = 4;
    public static final int FALSE = 5;
    public static final int OBJECT = 6;
    public static final int ARRAY = 7;

    private static final String[] KIND_NAMES = {"MISSING", "NULL", "STRING", "NUMBER", "TRUE", "FALSE", "OBJECT",
        "ARRAY"};
    private static final double[] POWERS = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final byte[] TRUE_BYTES = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE_BYTES = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL_BYTES = {'n', 'u', 'l', 'l'};
    private static final long MAX_EXACT_DOUBLE = 1L << 53;
    /** Exponents are saturated here while scanning, far beyond anything a double or a long can hold. */
    private static final int MAX_EXPONENT = 1_000_000;

    private final String[] names;
    private final byte[][] keys;
    private final int[] indexes;
    private final byte[] scratch = new byte[4];
    private int scratchLength;

    private DirectBuffer buffer;
    private int kind;
    private int valueStart;
    private int valueEnd;
    private boolean escapes;
    private boolean negative;
    private int intStart;
    private int intEnd;
    private int fracStart;
    private int fracEnd;
    private int exponent;
    private boolean fractionOrExponent;
    private boolean longFits;
    private long longValue;

    private JsonPath(final String[] names, final int[] indexes)
    {
        this.names = names;
        this.indexes = indexes;
        this.keys = new byte[names.length][];
        for (int i = 0; i < names.length; i++)
        {
            keys[i] = names[i] == null ? null : names[i].getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Parses a path: {@code .name} and {@code [index]} segments, e.g. {@code .owner.login}, {@code [0].name},
     * {@code .labels[0].name}, {@code [2][1]}. A bare name is {@code [A-Za-z_][A-Za-z0-9_$-]*}; any other
     * non-empty name is double-quoted, {@code ."with space"}, with {@code \"} and {@code \\} for a quote and a
     * backslash. An index is a non-negative decimal int. The empty string is the value itself.
     *
     * @throws IllegalArgumentException naming the position of bad syntax.
     */
    public static JsonPath parse(final String path)
    {
        final List<String> names = new ArrayList<>();
        final List<Integer> indexes = new ArrayList<>();
        int p = 0;
        final int n = path.length();
        while (p < n)
        {
            final char c = path.charAt(p);
            if (c == '.')
            {
                p++;
                if (p < n && path.charAt(p) == '"')
                {
                    final StringBuilder name = new StringBuilder();
                    p++;
                    while (true)
                    {
                        if (p >= n)
                        {
                            throw syntax(path, p, "a closing '\"'");
                        }
                        final char q = path.charAt(p);
                        if (q == '"')
                        {
                            break;
                        }
                        if (q == '\\')
                        {
                            if (p + 1 >= n || (path.charAt(p + 1) != '"' && path.charAt(p + 1) != '\\'))
                            {
                                throw syntax(path, p, "\\\" or \\\\ (the only escapes in a quoted name)");
                            }
                            p++;
                        }
                        name.append(path.charAt(p));
                        p++;
                    }
                    if (name.length() == 0)
                    {
                        throw syntax(path, p, "a non-empty name");
                    }
                    p++;
                    names.add(name.toString());
                }
                else
                {
                    final int from = p;
                    if (p >= n || !isNameStart(path.charAt(p)))
                    {
                        throw syntax(path, p, "a name ([A-Za-z_][A-Za-z0-9_$-]*) or a quoted name");
                    }
                    p++;
                    while (p < n && isNamePart(path.charAt(p)))
                    {
                        p++;
                    }
                    names.add(path.substring(from, p));
                }
                indexes.add(-1);
            }
            else if (c == '[')
            {
                p++;
                final int from = p;
                long index = 0;
                while (p < n && path.charAt(p) >= '0' && path.charAt(p) <= '9')
                {
                    index = index * 10 + (path.charAt(p) - '0');
                    if (index > Integer.MAX_VALUE)
                    {
                        throw syntax(path, from, "an index no larger than " + Integer.MAX_VALUE);
                    }
                    p++;
                }
                if (p == from)
                {
                    throw syntax(path, p, "a non-negative index");
                }
                if (p >= n || path.charAt(p) != ']')
                {
                    throw syntax(path, p, "']'");
                }
                p++;
                names.add(null);
                indexes.add((int)index);
            }
            else
            {
                throw syntax(path, p, "'.' or '['");
            }
        }
        return build(names, indexes);
    }

    /**
     * @param segments a {@link String} for a key (non-empty), an {@link Integer} for an index (non-negative).
     * @throws IllegalArgumentException for anything else.
     */
    public static JsonPath of(final List<Object> segments)
    {
        final List<String> names = new ArrayList<>();
        final List<Integer> indexes = new ArrayList<>();
        for (final Object s : segments)
        {
            if (s instanceof String && !((String)s).isEmpty())
            {
                names.add((String)s);
                indexes.add(-1);
            }
            else if (s instanceof Integer && (Integer)s >= 0)
            {
                names.add(null);
                indexes.add((Integer)s);
            }
            else
            {
                throw new IllegalArgumentException("a JSON path segment is a non-empty String key or a non-negative"
                    + " Integer index, not " + s);
            }
        }
        return build(names, indexes);
    }

    /** @return the number of segments; 0 for the value itself. */
    public int segments()
    {
        return names.length;
    }

    /** @return the path in DuckDB's JSON path syntax, e.g. {@code $.labels[0].name} or {@code $."a b"}. */
    public String toSql()
    {
        return "$" + toString();
    }

    /** @return the path in the syntax {@link #parse} reads (names quoted when they are not plain identifiers). */
    @Override
    public String toString()
    {
        final StringBuilder s = new StringBuilder();
        for (int i = 0; i < names.length; i++)
        {
            final String name = names[i];
            if (name == null)
            {
                s.append('[').append(indexes[i]).append(']');
            }
            else if (isPlain(name))
            {
                s.append('.').append(name);
            }
            else
            {
                s.append(".\"");
                for (int j = 0; j < name.length(); j++)
                {
                    final char c = name.charAt(j);
                    if (c == '"' || c == '\\')
                    {
                        s.append('\\');
                    }
                    s.append(c);
                }
                s.append('"');
            }
        }
        return s.toString();
    }

    /** @return the name of a kind {@link #find} returns, e.g. {@code "STRING"}. */
    public static String kindName(final int kind)
    {
        return kind >= 0 && kind < KIND_NAMES.length ? KIND_NAMES[kind] : "UNKNOWN(" + kind + ")";
    }

    /**
     * Walks the JSON value in {@code [start, start + length)} to this path.
     *
     * @return the kind of the value there ({@link #NULL} … {@link #ARRAY}), or {@link #MISSING}.
     */
    public int find(final DirectBuffer buffer, final int start, final int length)
    {
        this.buffer = buffer;
        kind = MISSING;
        valueStart = 0;
        valueEnd = 0;
        escapes = false;
        if (start < 0 || length < 0 || (long)start + length > buffer.capacity())
        {
            return MISSING;
        }
        final int end = start + length;
        int p = start;
        for (int s = 0; s < names.length; s++)
        {
            p = skipSpace(buffer, p, end);
            if (p >= end)
            {
                return MISSING;
            }
            p = names[s] == null ? element(buffer, p, end, indexes[s]) : member(buffer, p, end, keys[s]);
            if (p < 0)
            {
                return MISSING;
            }
        }
        p = skipSpace(buffer, p, end);
        if (p >= end)
        {
            return MISSING;
        }
        escapes = false;
        kind = classify(buffer, p, end);
        return kind;
    }

    /** @return where the found value starts: for a string the byte after the opening quote. */
    public int valueStart()
    {
        return valueStart;
    }

    /** @return where the found value ends (exclusive): for a string the closing quote. */
    public int valueEnd()
    {
        return valueEnd;
    }

    /** @return whether the found string has escapes, so its bytes are not its UTF-8 text as they stand. */
    public boolean hasEscapes()
    {
        return escapes;
    }

    /**
     * @return whether the found value is a string whose decoded UTF-8 (escapes, {@code \}{@code uXXXX} and
     * surrogate pairs decoded) is exactly {@code utf8}.
     */
    public boolean stringEquals(final DirectBuffer buffer, final byte[] utf8)
    {
        if (kind != STRING)
        {
            return false;
        }
        return textEquals(buffer, valueStart, valueEnd, escapes, utf8);
    }

    /**
     * Decodes the found string (escapes, {@code \}{@code uXXXX} and surrogate pairs; a lone surrogate becomes
     * U+FFFD) into {@code into} as UTF-8.
     *
     * @return the number of bytes written, or -1 if {@code into} is too small or the value is not a string.
     */
    public int decodeString(final DirectBuffer buffer, final byte[] into)
    {
        if (kind != STRING)
        {
            return -1;
        }
        int n = 0;
        int p = valueStart;
        while (p < valueEnd)
        {
            final byte c = buffer.getByte(p);
            if (c != '\\')
            {
                if (n >= into.length)
                {
                    return -1;
                }
                into[n++] = c;
                p++;
            }
            else
            {
                p = decodeEscape(buffer, p, valueEnd);
                if (p < 0 || n + scratchLength > into.length)
                {
                    return -1;
                }
                for (int i = 0; i < scratchLength; i++)
                {
                    into[n++] = scratch[i];
                }
            }
        }
        return n;
    }

    /** @return whether the found number is an integer (no fraction, no exponent) within the range of a long. */
    public boolean isExactInteger()
    {
        return kind == NUMBER && longFits;
    }

    /**
     * @return the found number as a long: exact when {@link #isExactInteger()}, otherwise {@link #doubleValue()}
     * truncated toward zero (saturating); 0 if the value is not a number.
     */
    public long longValue()
    {
        if (kind != NUMBER)
        {
            return 0;
        }
        return longFits ? longValue : (long)doubleValue();
    }

    /**
     * The found number as the nearest double. Without allocating when the significant digits (up to 18) make a
     * mantissa below 2^53 and the power of ten is within 10^22 of it (Clinger's fast path, exact because both are
     * exact doubles); any other number is read by {@link Double#parseDouble} from a String, which allocates.
     *
     * @return the number, or NaN if the value is not a number.
     */
    public double doubleValue()
    {
        if (kind != NUMBER)
        {
            return Double.NaN;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = exponent;
        boolean inexact = false;
        for (int p = intStart; p < intEnd; p++)
        {
            final int d = buffer.getByte(p) - '0';
            if (digits < 18)
            {
                mantissa = mantissa * 10 + d;
                if (mantissa != 0)
                {
                    digits++;
                }
            }
            else
            {
                scale++;
                inexact |= d != 0;
            }
        }
        for (int p = fracStart; p < fracEnd; p++)
        {
            final int d = buffer.getByte(p) - '0';
            if (digits < 18)
            {
                mantissa = mantissa * 10 + d;
                if (mantissa != 0)
                {
                    digits++;
                }
                scale--;
            }
            else
            {
                inexact |= d != 0;
            }
        }
        if (mantissa == 0 && !inexact)
        {
            return negative ? -0.0 : 0.0;
        }
        if (!inexact && mantissa < MAX_EXACT_DOUBLE)
        {
            if (scale > 22 && scale <= 22 + 15)
            {
                final long power = Decimals.powerOfTen(scale - 22);
                if (mantissa < MAX_EXACT_DOUBLE / power)
                {
                    mantissa *= power;
                    scale = 22;
                }
            }
            if (scale >= -22 && scale <= 22)
            {
                final double v = scale >= 0 ? (double)mantissa * POWERS[scale] : (double)mantissa / POWERS[-scale];
                return negative ? -v : v;
            }
        }
        return Double.parseDouble(buffer.getStringWithoutLengthAscii(valueStart, valueEnd - valueStart));
    }

    /**
     * The found number times 10^scale, exactly: {@code 12.5} at scale 2 is {@code 1250}, {@code 1e3} at scale 0 is
     * {@code 1000}, {@code 0.125} at scale 2 is not representable.
     *
     * @param scale 0 to {@link Decimals#MAX_SCALE}.
     * @return the mantissa, or {@link Long#MIN_VALUE} if the value is not a number, has more decimal places than
     * {@code scale} (other than trailing zeros) or does not fit in a long.
     */
    public long scaledValue(final int scale)
    {
        if (scale < 0 || scale > Decimals.MAX_SCALE)
        {
            throw new IllegalArgumentException("scale " + scale + " is not within 0.." + Decimals.MAX_SCALE);
        }
        if (kind != NUMBER)
        {
            return Long.MIN_VALUE;
        }
        // a digit's power of ten in the result: the last integer digit is at exponent + scale
        final int shift = exponent + scale;
        long acc = 0;
        int q = (intEnd - intStart - 1) + shift;
        for (int p = intStart; p < fracEnd; p++)
        {
            if (p == intEnd)
            {
                p = fracStart;
                if (p >= fracEnd)
                {
                    break;
                }
            }
            final int d = buffer.getByte(p) - '0';
            if (q >= 0)
            {
                if (acc > (Long.MAX_VALUE - d) / 10)
                {
                    return Long.MIN_VALUE;
                }
                acc = acc * 10 + d;
            }
            else if (d != 0)
            {
                return Long.MIN_VALUE;
            }
            q--;
        }
        // q + 1 is now the power of ten of the last digit; zeros below it up to 10^0 are implied
        final int zeros = q + 1;
        if (zeros > 0 && acc != 0)
        {
            if (zeros > Decimals.MAX_SCALE || acc > Long.MAX_VALUE / Decimals.powerOfTen(zeros))
            {
                return Long.MIN_VALUE;
            }
            acc *= Decimals.powerOfTen(zeros);
        }
        return negative ? -acc : acc;
    }

    private static JsonPath build(final List<String> names, final List<Integer> indexes)
    {
        final int[] ix = new int[indexes.size()];
        for (int i = 0; i < ix.length; i++)
        {
            ix[i] = indexes.get(i);
        }
        return new JsonPath(names.toArray(new String[0]), ix);
    }

    private static IllegalArgumentException syntax(final String path, final int position, final String expected)
    {
        return new IllegalArgumentException("bad JSON path '" + path + "' at position " + position + ": expected "
            + expected);
    }

    private static boolean isNameStart(final char c)
    {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean isNamePart(final char c)
    {
        return isNameStart(c) || (c >= '0' && c <= '9') || c == '$' || c == '-';
    }

    /** Names that print bare in {@link #toString()} and {@link #toSql()}; the rest are quoted there. */
    private static boolean isPlain(final String name)
    {
        if (!isNameStart(name.charAt(0)))
        {
            return false;
        }
        for (int i = 1; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (!isNameStart(c) && !(c >= '0' && c <= '9'))
            {
                return false;
            }
        }
        return true;
    }

    /** @return the position of the member's value, or -1. */
    private int member(final DirectBuffer b, final int from, final int end, final byte[] key)
    {
        if (b.getByte(from) != '{')
        {
            return -1;
        }
        int p = skipSpace(b, from + 1, end);
        if (p >= end || b.getByte(p) == '}')
        {
            return -1;
        }
        while (true)
        {
            if (b.getByte(p) != '"')
            {
                return -1;
            }
            final int keyStart = p + 1;
            final int keyEnd = scanString(b, keyStart, end);
            if (keyEnd < 0)
            {
                return -1;
            }
            final boolean match = textEquals(b, keyStart, keyEnd, escapes, key);
            p = skipSpace(b, keyEnd + 1, end);
            if (p >= end || b.getByte(p) != ':')
            {
                return -1;
            }
            p = skipSpace(b, p + 1, end);
            if (p >= end)
            {
                return -1;
            }
            if (match)
            {
                return p;
            }
            p = skip(b, p, end);
            if (p < 0)
            {
                return -1;
            }
            p = skipSpace(b, p, end);
            if (p >= end || b.getByte(p) != ',')
            {
                return -1;
            }
            p = skipSpace(b, p + 1, end);
            if (p >= end)
            {
                return -1;
            }
        }
    }

    /** @return the position of the element's value, or -1. */
    private static int element(final DirectBuffer b, final int from, final int end, final int index)
    {
        if (b.getByte(from) != '[')
        {
            return -1;
        }
        int p = skipSpace(b, from + 1, end);
        if (p >= end || b.getByte(p) == ']')
        {
            return -1;
        }
        for (int i = 0; i < index; i++)
        {
            p = skip(b, p, end);
            if (p < 0)
            {
                return -1;
            }
            p = skipSpace(b, p, end);
            if (p >= end || b.getByte(p) != ',')
            {
                return -1;
            }
            p = skipSpace(b, p + 1, end);
            if (p >= end)
            {
                return -1;
            }
        }
        return p;
    }

    private int classify(final DirectBuffer b, final int p, final int end)
    {
        switch (b.getByte(p))
        {
            case '"':
            {
                final int close = scanString(b, p + 1, end);
                if (close < 0 || (escapes && !escapesValid(b, p + 1, close)))
                {
                    return MISSING;
                }
                valueStart = p + 1;
                valueEnd = close;
                return STRING;
            }
            case '{':
            case '[':
            {
                final int after = skip(b, p, end);
                if (after < 0)
                {
                    return MISSING;
                }
                valueStart = p;
                valueEnd = after;
                return b.getByte(p) == '{' ? OBJECT : ARRAY;
            }
            case 't':
                return literal(b, p, end, TRUE_BYTES, TRUE);
            case 'f':
                return literal(b, p, end, FALSE_BYTES, FALSE);
            case 'n':
                return literal(b, p, end, NULL_BYTES, NULL);
            default:
                return number(b, p, end);
        }
    }

    private int literal(final DirectBuffer b, final int p, final int end, final byte[] word, final int kind)
    {
        if (p + word.length > end)
        {
            return MISSING;
        }
        for (int i = 1; i < word.length; i++)
        {
            if (b.getByte(p + i) != word[i])
            {
                return MISSING;
            }
        }
        if (!delimiter(b, p + word.length, end))
        {
            return MISSING;
        }
        valueStart = p;
        valueEnd = p + word.length;
        return kind;
    }

    private int number(final DirectBuffer b, final int from, final int end)
    {
        int p = from;
        negative = false;
        if (b.getByte(p) == '-')
        {
            negative = true;
            p++;
        }
        intStart = p;
        if (p < end && b.getByte(p) == '0')
        {
            p++;
        }
        else
        {
            while (p < end && isDigit(b.getByte(p)))
            {
                p++;
            }
        }
        intEnd = p;
        if (intEnd == intStart)
        {
            return MISSING;
        }
        fracStart = p;
        fracEnd = p;
        exponent = 0;
        fractionOrExponent = false;
        if (p < end && b.getByte(p) == '.')
        {
            p++;
            fracStart = p;
            while (p < end && isDigit(b.getByte(p)))
            {
                p++;
            }
            fracEnd = p;
            if (fracEnd == fracStart)
            {
                return MISSING;
            }
            fractionOrExponent = true;
        }
        if (p < end && (b.getByte(p) == 'e' || b.getByte(p) == 'E'))
        {
            p++;
            boolean negativeExponent = false;
            if (p < end && (b.getByte(p) == '+' || b.getByte(p) == '-'))
            {
                negativeExponent = b.getByte(p) == '-';
                p++;
            }
            final int digitsStart = p;
            int e = 0;
            while (p < end && isDigit(b.getByte(p)))
            {
                e = Math.min(MAX_EXPONENT, e * 10 + (b.getByte(p) - '0'));
                p++;
            }
            if (p == digitsStart)
            {
                return MISSING;
            }
            exponent = negativeExponent ? -e : e;
            fractionOrExponent = true;
        }
        if (!delimiter(b, p, end))
        {
            return MISSING;
        }
        valueStart = from;
        valueEnd = p;
        longFits = false;
        if (!fractionOrExponent)
        {
            // accumulate negatively so that Long.MIN_VALUE fits
            long acc = 0;
            boolean fits = true;
            for (int q = intStart; q < intEnd; q++)
            {
                final int d = b.getByte(q) - '0';
                if (acc < Long.MIN_VALUE / 10 || acc * 10 < Long.MIN_VALUE + d)
                {
                    fits = false;
                    break;
                }
                acc = acc * 10 - d;
            }
            if (fits && (negative || acc != Long.MIN_VALUE))
            {
                longFits = true;
                longValue = negative ? acc : -acc;
            }
        }
        return NUMBER;
    }

    private static boolean delimiter(final DirectBuffer b, final int p, final int end)
    {
        if (p >= end)
        {
            return true;
        }
        final byte c = b.getByte(p);
        return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /**
     * @param from just after the opening quote.
     * @return the position of the closing quote, or -1; sets {@link #escapes}.
     */
    private int scanString(final DirectBuffer b, final int from, final int end)
    {
        boolean escaped = false;
        int p = from;
        while (p < end)
        {
            final byte c = b.getByte(p);
            if (c == '"')
            {
                escapes = escaped;
                return p;
            }
            if (c == '\\')
            {
                escaped = true;
                p += 2;
            }
            else
            {
                p++;
            }
        }
        return -1;
    }

    /** @return the position just after the value at {@code from} (not whitespace), or -1. */
    private static int skip(final DirectBuffer b, final int from, final int end)
    {
        int p = from;
        final byte first = b.getByte(p);
        if (first == '"')
        {
            return skipString(b, p + 1, end);
        }
        if (first == '{' || first == '[')
        {
            int depth = 1;
            p++;
            while (p < end)
            {
                final byte c = b.getByte(p++);
                if (c == '"')
                {
                    p = skipString(b, p, end);
                    if (p < 0)
                    {
                        return -1;
                    }
                }
                else if (c == '{' || c == '[')
                {
                    depth++;
                }
                else if (c == '}' || c == ']')
                {
                    if (--depth == 0)
                    {
                        return p;
                    }
                }
            }
            return -1;
        }
        while (p < end)
        {
            final byte c = b.getByte(p);
            if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t')
            {
                break;
            }
            p++;
        }
        return p == from ? -1 : p;
    }

    /** @return the position just after the closing quote, or -1. */
    private static int skipString(final DirectBuffer b, final int from, final int end)
    {
        int p = from;
        while (p < end)
        {
            final byte c = b.getByte(p);
            if (c == '"')
            {
                return p + 1;
            }
            p += c == '\\' ? 2 : 1;
        }
        return -1;
    }

    private static int skipSpace(final DirectBuffer b, final int from, final int end)
    {
        int p = from;
        while (p < end)
        {
            final byte c = b.getByte(p);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            {
                break;
            }
            p++;
        }
        return p;
    }

    /** @return whether every escape in the string bytes {@code [from, to)} decodes. */
    private boolean escapesValid(final DirectBuffer b, final int from, final int to)
    {
        int p = from;
        while (p < to)
        {
            if (b.getByte(p) == '\\')
            {
                p = decodeEscape(b, p, to);
                if (p < 0)
                {
                    return false;
                }
            }
            else
            {
                p++;
            }
        }
        return true;
    }

    /** Compares the string bytes in {@code [from, to)} with {@code utf8}, decoding escapes when there are any. */
    private boolean textEquals(final DirectBuffer b, final int from, final int to, final boolean escaped,
        final byte[] utf8)
    {
        if (!escaped)
        {
            if (to - from != utf8.length)
            {
                return false;
            }
            for (int i = 0; i < utf8.length; i++)
            {
                if (b.getByte(from + i) != utf8[i])
                {
                    return false;
                }
            }
            return true;
        }
        int i = 0;
        int p = from;
        while (p < to)
        {
            final byte c = b.getByte(p);
            if (c != '\\')
            {
                if (i >= utf8.length || utf8[i] != c)
                {
                    return false;
                }
                i++;
                p++;
            }
            else
            {
                p = decodeEscape(b, p, to);
                if (p < 0 || i + scratchLength > utf8.length)
                {
                    return false;
                }
                for (int k = 0; k < scratchLength; k++)
                {
                    if (utf8[i++] != scratch[k])
                    {
                        return false;
                    }
                }
            }
        }
        return i == utf8.length;
    }

    /**
     * Decodes the escape at {@code p} (a backslash) into {@link #scratch} as UTF-8.
     *
     * @return the position after the escape, or -1 if it is malformed or runs past {@code limit}.
     */
    private int decodeEscape(final DirectBuffer b, final int p, final int limit)
    {
        if (p + 1 >= limit)
        {
            return -1;
        }
        final byte c = b.getByte(p + 1);
        final byte simple;
        switch (c)
        {
            case '"':
            case '\\':
            case '/':
                simple = c;
                break;
            case 'b':
                simple = '\b';
                break;
            case 'f':
                simple = '\f';
                break;
            case 'n':
                simple = '\n';
                break;
            case 'r':
                simple = '\r';
                break;
            case 't':
                simple = '\t';
                break;
            case 'u':
                return decodeUnicode(b, p, limit);
            default:
                return -1;
        }
        scratch[0] = simple;
        scratchLength = 1;
        return p + 2;
    }

    private int decodeUnicode(final DirectBuffer b, final int p, final int limit)
    {
        final int unit = hex4(b, p + 2, limit);
        if (unit < 0)
        {
            return -1;
        }
        int next = p + 6;
        int codePoint = unit;
        if (unit >= 0xD800 && unit <= 0xDBFF)
        {
            final int low = next + 1 < limit && b.getByte(next) == '\\' && b.getByte(next + 1) == 'u' ?
                hex4(b, next + 2, limit) : -1;
            if (low >= 0xDC00 && low <= 0xDFFF)
            {
                codePoint = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                next += 6;
            }
            else
            {
                codePoint = 0xFFFD;
            }
        }
        else if (unit >= 0xDC00 && unit <= 0xDFFF)
        {
            codePoint = 0xFFFD;
        }
        if (codePoint < 0x80)
        {
            scratch[0] = (byte)codePoint;
            scratchLength = 1;
        }
        else if (codePoint < 0x800)
        {
            scratch[0] = (byte)(0xC0 | (codePoint >> 6));
            scratch[1] = (byte)(0x80 | (codePoint & 0x3F));
            scratchLength = 2;
        }
        else if (codePoint < 0x10000)
        {
            scratch[0] = (byte)(0xE0 | (codePoint >> 12));
            scratch[1] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
            scratch[2] = (byte)(0x80 | (codePoint & 0x3F));
            scratchLength = 3;
        }
        else
        {
            scratch[0] = (byte)(0xF0 | (codePoint >> 18));
            scratch[1] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
            scratch[2] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
            scratch[3] = (byte)(0x80 | (codePoint & 0x3F));
            scratchLength = 4;
        }
        return next;
    }

    /** @return the four hex digits at {@code p} as a number, or -1. */
    private static int hex4(final DirectBuffer b, final int p, final int limit)
    {
        if (p + 4 > limit)
        {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < 4; i++)
        {
            final int c = b.getByte(p + i);
            final int d;
            if (c >= '0' && c <= '9')
            {
                d = c - '0';
            }
            else if (c >= 'a' && c <= 'f')
            {
                d = c - 'a' + 10;
            }
            else if (c >= 'A' && c <= 'F')
            {
                d = c - 'A' + 10;
            }
            else
            {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static boolean isDigit(final byte c)
    {
        return c >= '0' && c <= '9';
    }
}

package dev.dataforge.codec;

import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongHashSet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;

/**
 * Transcodes one flat JSON object (UTF-8 bytes) into a slot laid out by a {@link RecordLayout}, field by field,
 * with a byte-level scanner: no String, no tree, no allocation per record.
 * <p>
 * Coercions: integers into LONG fields (range-checked for the width), numbers into DECIMAL fields exactly (more
 * decimal places than the scale is an error, never a silent rounding), any number into DOUBLE, {@code true}/
 * {@code false} into BOOLEAN, strings into STRING (UTF-8, escapes decoded; longer than a fixed field's capacity is
 * an error, a variable field takes what the record has room for), any value into JSON (validated, its text copied
 * unchanged into the record's variable data), and TIMESTAMP from an integer (epoch microseconds) or an ISO-8601 UTC string
 * ({@code 2026-01-01T00:00:00[.ffffff]Z}). {@code null} or an absent key writes NULL. Keys not in the layout are
 * skipped and counted ({@link #unknownFields()}); the first one of a record is kept, and whether that name was
 * ever seen before is known without allocating ({@link #unknownFieldIsNew()}). A field listed as required must be
 * present and not null.
 * <p>
 * {@link #transcode} returns {@link #OK} or an error code; {@link #error()} then describes it (that message is
 * built only on the error path).
 */
public final class JsonTranscoder
{
    public static final int OK = 0;
    public static final int INVALID_JSON = 1;
    public static final int WRONG_TYPE = 2;
    public static final int MISSING_REQUIRED = 3;
    public static final int TOO_LONG = 4;
    public static final int OUT_OF_RANGE = 5;
    /** The record's variable data does not fit in the room it was given. */
    public static final int TOO_LARGE = 6;
    /** Deepest nesting a json value may have. */
    public static final int MAX_DEPTH = 128;

    /** Longest key (with a flattened object's names before it) that can name a field. */
    private static final int MAX_KEY = 512;
    private static final double[] POWERS = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private final RecordLayout layout;
    private final Field[] fields;
    private final byte[][] names;
    private final boolean[] required;
    private final boolean[] seen;
    private final byte[] key = new byte[MAX_KEY];
    private final byte[] text;
    private byte[] in;
    private int pos;
    private int end;
    private String error;
    private int unknownFields;
    private int expected;
    private final byte[] unknownKey = new byte[MAX_KEY];
    private int unknownKeyLength;
    private boolean unknownKeyNew;
    private final LongHashSet unknownSeen = new LongHashSet();
    /**
     * Objects flattened into columns: every proper prefix of a dotted field name ({@code repository} and
     * {@code repository.owner} for {@code repository.owner.login}); their members are matched as
     * {@code prefix.key}.
     */
    private final byte[][] groups;
    /** Where variable data starts, from the record's base; where the next goes; how far it may go. */
    private final int variableStart;
    private int variableAt;
    private int capacity;
    private int lastLength;

    /**
     * @param requiredFields names of fields that must be present and not null.
     */
    public JsonTranscoder(final RecordLayout layout, final Collection<String> requiredFields)
    {
        this.layout = layout;
        this.fields = layout.fields().toArray(new Field[0]);
        this.names = new byte[fields.length][];
        this.required = new boolean[fields.length];
        this.seen = new boolean[fields.length];
        int maxString = 16;
        for (int i = 0; i < fields.length; i++)
        {
            names[i] = fields[i].name().getBytes(StandardCharsets.UTF_8);
            required[i] = requiredFields.contains(fields[i].name());
            if (fields[i].type() == FieldType.STRING)
            {
                maxString = Math.max(maxString, fields[i].length());
            }
        }
        this.text = new byte[maxString * 4 + 8];
        this.variableStart = layout.recordLength();
        this.groups = groups(fields);
        for (final String r : requiredFields)
        {
            if (layout.field(r) == null)
            {
                throw new IllegalArgumentException("required field '" + r + "' is not in the layout");
            }
        }
    }

    private static byte[][] groups(final Field[] fields)
    {
        final java.util.Set<String> names = new java.util.LinkedHashSet<>();
        final java.util.Set<String> fieldNames = new java.util.HashSet<>();
        for (final Field f : fields)
        {
            fieldNames.add(f.name());
        }
        for (final Field f : fields)
        {
            final String n = f.name();
            for (int dot = n.indexOf('.'); dot > 0; dot = n.indexOf('.', dot + 1))
            {
                final String group = n.substring(0, dot);
                if (fieldNames.contains(group))
                {
                    throw new IllegalArgumentException("field '" + n + "' is inside '" + group + "', which is a " +
                        "field itself: flatten an object into columns or keep it whole, not both");
                }
                names.add(group);
            }
        }
        final byte[][] out = new byte[names.size()][];
        int i = 0;
        for (final String g : names)
        {
            out[i++] = g.getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** @return the flattened object the key just read names, or -1. */
    private int groupFor(final int keyLength)
    {
        for (int i = 0; i < groups.length; i++)
        {
            final byte[] name = groups[i];
            if (name.length == keyLength && Arrays.equals(name, 0, keyLength, key, 0, keyLength))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Reads the members of a flattened object into their columns ({@code prefix.key}); the object's name is in
     * {@link #key} up to {@code prefixLength}. A null object leaves them NULL.
     */
    private int flattened(final int prefixLength, final MutableDirectBuffer slot, final int base, final int depth)
    {
        if (startsWith("null"))
        {
            pos += 4;
            return OK;
        }
        if (!consume('{'))
        {
            return fail(WRONG_TYPE, "field '" + new String(key, 0, prefixLength, StandardCharsets.UTF_8) + "' must " +
                "be an object: its members are columns (flattened)");
        }
        if (depth > MAX_DEPTH)
        {
            return fail(INVALID_JSON, "objects nested more than " + MAX_DEPTH + " deep");
        }
        skipSpace();
        if (consume('}'))
        {
            return OK;
        }
        while (true)
        {
            skipSpace();
            key[prefixLength] = '.';
            final int keyLength = readKey(prefixLength + 1);
            if (keyLength < 0)
            {
                return INVALID_JSON;
            }
            final int f = fieldFor(keyLength);
            final int g = f < 0 ? groupFor(keyLength) : -1;
            if (f < 0 && g < 0)
            {
                unknown(keyLength);
            }
            skipSpace();
            if (!consume(':'))
            {
                return fail(INVALID_JSON, pos >= end ? "truncated JSON" : "expected ':' at byte " + pos);
            }
            skipSpace();
            final int status = f >= 0 ? value(f, slot, base) : g >= 0 ? flattened(keyLength, slot, base, depth + 1) :
                skipValue();
            if (status != OK)
            {
                return status;
            }
            skipSpace();
            if (consume(','))
            {
                continue;
            }
            if (consume('}'))
            {
                return OK;
            }
            return fail(INVALID_JSON, pos >= end ? "truncated JSON" : "expected ',' or '}' at byte " + pos);
        }
    }

    /** @return what went wrong with the last record that did not transcode. */
    public String error()
    {
        return error;
    }

    /**
     * Writes the record at {@code base}, with all of {@code slot} from there as room for its variable data.
     *
     * @return {@link #OK} or an error code.
     */
    public int transcode(final byte[] json, final int offset, final int length, final MutableDirectBuffer slot,
        final int base)
    {
        return transcode(json, offset, length, slot, base, slot.capacity() - base);
    }

    /**
     * Writes the record at {@code base}: the SBE header, then every field, variable data behind the fixed part.
     * A record's variable data is never longer than its JSON text, so {@code room} of
     * {@code layout.recordLength() + length} always suffices.
     *
     * @param room bytes the record may take from {@code base}.
     * @return {@link #OK} or an error code; after OK, {@link #recordLength()} is the record's length.
     */
    public int transcode(final byte[] json, final int offset, final int length, final MutableDirectBuffer slot,
        final int base, final int room)
    {
        final int status = fields(json, offset, length, slot, base, room);
        if (status == OK)
        {
            lastLength = variableAt;
            layout.recordLength(slot, base, variableAt);
        }
        return status;
    }

    /** @return the length of the last record transcoded without error: its fixed part and its variable data. */
    public int recordLength()
    {
        return lastLength;
    }

    private int fields(final byte[] json, final int offset, final int length, final MutableDirectBuffer slot,
        final int base, final int room)
    {
        variableAt = variableStart;
        capacity = room;
        in = json;
        pos = offset;
        end = offset + length;
        error = null;
        unknownFields = 0;
        unknownKeyNew = false;
        expected = 0;
        Arrays.fill(seen, false);
        slot.putShort(base, (short)layout.blockLength());
        slot.putShort(base + 2, (short)layout.templateId());
        slot.putShort(base + 4, (short)layout.schemaId());
        slot.putShort(base + 6, (short)layout.version());
        try
        {
            skipSpace();
            if (!consume('{'))
            {
                return fail(INVALID_JSON, "not a JSON object");
            }
            skipSpace();
            if (!consume('}'))
            {
                while (true)
                {
                    skipSpace();
                    int f = expectedKey();
                    int g = -1;
                    int keyLength = 0;
                    if (f < 0)
                    {
                        keyLength = readKey(0);
                        if (keyLength < 0)
                        {
                            return INVALID_JSON;
                        }
                        f = fieldFor(keyLength);
                        if (f < 0 && groups.length > 0)
                        {
                            g = groupFor(keyLength);
                        }
                        if (f < 0 && g < 0)
                        {
                            unknown(keyLength);
                        }
                    }
                    skipSpace();
                    if (!consume(':'))
                    {
                        return fail(INVALID_JSON, pos >= end ? "truncated JSON" :
                            "expected ':' at byte " + (pos - offset));
                    }
                    skipSpace();
                    final int status = f >= 0 ? value(f, slot, base) : g >= 0 ?
                        flattened(keyLength, slot, base, 1) : skipValue();
                    if (status != OK)
                    {
                        return status;
                    }
                    skipSpace();
                    if (consume(','))
                    {
                        continue;
                    }
                    if (consume('}'))
                    {
                        break;
                    }
                    return fail(INVALID_JSON, pos >= end ? "truncated JSON" :
                        "expected ',' or '}' at byte " + (pos - offset));
                }
            }
            skipSpace();
            if (pos != end)
            {
                return fail(INVALID_JSON, "unexpected data after the object at byte " + (pos - offset));
            }
        }
        catch (final ArrayIndexOutOfBoundsException truncated)
        {
            return fail(INVALID_JSON, "truncated JSON");
        }
        for (int i = 0; i < fields.length; i++)
        {
            if (!seen[i])
            {
                if (required[i])
                {
                    return fail(MISSING_REQUIRED, "missing required field '" + fields[i].name() + "'");
                }
                fields[i].putNull(slot, base);
            }
        }
        return OK;
    }

    private int fail(final int code, final String message)
    {
        error = message;
        return code;
    }

    private void skipSpace()
    {
        while (pos < end && (in[pos] == ' ' || in[pos] == '\n' || in[pos] == '\r' || in[pos] == '\t'))
        {
            pos++;
        }
    }

    private boolean consume(final char c)
    {
        if (pos < end && in[pos] == c)
        {
            pos++;
            return true;
        }
        return false;
    }

    /**
     * Reads a key into {@link #key} from {@code from} (after a flattened object's name); @return the length of what
     * {@link #key} then holds, or -1 after setting the error.
     */
    private int readKey(final int from)
    {
        if (!consume('"'))
        {
            fail(INVALID_JSON, "expected a key in quotes");
            return -1;
        }
        int n = from;
        while (true)
        {
            if (pos >= end)
            {
                fail(INVALID_JSON, "unterminated key");
                return -1;
            }
            final byte b = in[pos++];
            if (b == '"')
            {
                return n;
            }
            if (b == '\\' || n == MAX_KEY)
            {
                // keys with escapes or longer than any field name cannot name a field: skip them as unknown
                n = MAX_KEY;
                if (b == '\\')
                {
                    pos++;
                }
                continue;
            }
            key[n++] = b;
        }
    }

    private void unknown(final int keyLength)
    {
        if (unknownFields++ == 0)
        {
            final int n = Math.min(keyLength, MAX_KEY);
            System.arraycopy(key, 0, unknownKey, 0, n);
            unknownKeyLength = n;
            long hash = 0xcbf29ce484222325L; // FNV-1a
            for (int i = 0; i < n; i++)
            {
                hash = (hash ^ (unknownKey[i] & 0xFF)) * 0x100000001b3L;
            }
            unknownKeyNew = unknownSeen.size() < 10_000 && unknownSeen.add(hash);
        }
    }

    /** @return how many keys of the last record are not fields of the layout. */
    public int unknownFields()
    {
        return unknownFields;
    }

    /**
     * @return true when the first unknown key of the last record had never been seen by this transcoder (a new
     * field to report once); no allocation.
     */
    public boolean unknownFieldIsNew()
    {
        return unknownKeyNew;
    }

    /** @return the first unknown key of the last record (allocates: for reports, not for every record). */
    public String unknownField()
    {
        return unknownFields == 0 ? null : new String(unknownKey, 0, unknownKeyLength, StandardCharsets.UTF_8);
    }

    /**
     * @return the field after the last one matched when the key at {@link #pos} is its name, quoted and without
     * escapes (then consumed, without copying); -1 to read the key the general way.
     */
    private int expectedKey()
    {
        final int guess = expected;
        if (guess >= names.length)
        {
            return -1;
        }
        final byte[] name = names[guess];
        final int n = name.length;
        final int from = pos + 1;
        if (from + n >= end || in[pos] != '"' || in[from + n] != '"')
        {
            return -1;
        }
        // field names are short: a plain loop beats Arrays.equals' vectorised mismatch and its call overhead
        for (int i = 0; i < n; i++)
        {
            if (in[from + i] != name[i])
            {
                return -1;
            }
        }
        pos = from + n + 1;
        expected = guess + 1;
        return guess;
    }

    /**
     * Finds the field of the key just read, when {@link #expectedKey()} did not match it (it already tried the
     * expected field), and expects the one after it next.
     */
    private int fieldFor(final int keyLength)
    {
        for (int i = 0; i < names.length; i++)
        {
            final byte[] name = names[i];
            if (name.length == keyLength && Arrays.equals(name, 0, keyLength, key, 0, keyLength))
            {
                expected = i + 1;
                return i;
            }
        }
        return -1;
    }

    private int value(final int index, final MutableDirectBuffer slot, final int base)
    {
        final Field f = fields[index];
        seen[index] = true;
        if (startsWith("null"))
        {
            pos += 4;
            if (required[index])
            {
                return fail(MISSING_REQUIRED, "required field '" + f.name() + "' is null");
            }
            f.putNull(slot, base);
            return OK;
        }
        switch (f.type())
        {
            case STRING: return f.isVariable() ? variableString(f, slot, base) : string(f, slot, base);
            case JSON: return json(f, slot, base);
            case BOOLEAN:
                if (startsWith("true"))
                {
                    pos += 4;
                    f.putBoolean(slot, base, true);
                    return OK;
                }
                if (startsWith("false"))
                {
                    pos += 5;
                    f.putBoolean(slot, base, false);
                    return OK;
                }
                return wrongType(f, "true or false");
            case TIMESTAMP:
                if (pos < end && in[pos] == '"')
                {
                    return isoTimestamp(f, slot, base);
                }
                return number(f, slot, base);
            default:
                return number(f, slot, base);
        }
    }

    private int wrongType(final Field f, final String expected)
    {
        return fail(WRONG_TYPE, "field '" + f.name() + "' must be " + expected);
    }

    private boolean startsWith(final String word)
    {
        if (end - pos < word.length())
        {
            return false;
        }
        for (int i = 0; i < word.length(); i++)
        {
            if (in[pos + i] != word.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /** Parses a JSON number exactly as mantissa and scale, without creating a String. */
    private int number(final Field f, final MutableDirectBuffer slot, final int base)
    {
        final int start = pos;
        boolean negative = false;
        if (pos < end && in[pos] == '-')
        {
            negative = true;
            pos++;
        }
        long mantissa = 0;
        int scale = 0;
        int digits = 0;
        boolean fraction = false;
        boolean overflow = false;
        boolean exponent = false;
        while (pos < end)
        {
            final byte b = in[pos];
            if (b >= '0' && b <= '9')
            {
                if (mantissa > (Long.MAX_VALUE - 9) / 10)
                {
                    overflow = true;
                }
                mantissa = mantissa * 10 + (b - '0');
                digits++;
                if (fraction)
                {
                    scale++;
                }
            }
            else if (b == '.' && !fraction)
            {
                fraction = true;
            }
            else if (b == 'e' || b == 'E' || b == '+' || (b == '-' && pos > start))
            {
                exponent = true;
            }
            else
            {
                break;
            }
            pos++;
        }
        if (digits == 0)
        {
            return f.type() == FieldType.TIMESTAMP ? wrongType(f, "epoch microseconds or an ISO-8601 string") :
                wrongType(f, "a number");
        }
        if (negative)
        {
            mantissa = -mantissa;
        }
        switch (f.type())
        {
            case DOUBLE:
                // exact and correctly rounded without a String when both parts are exact doubles (Clinger's fast
                // path); anything else through the JDK's parser
                if (!exponent && !overflow && Math.abs(mantissa) < (1L << 53) && scale <= 22)
                {
                    final double v = scale == 0 ? (double)mantissa : (double)mantissa / POWERS[scale];
                    f.putDouble(slot, base, negative && mantissa == 0 ? -0.0 : v);
                }
                else
                {
                    f.putDouble(slot, base, Double.parseDouble(new String(in, start, pos - start,
                        StandardCharsets.US_ASCII)));
                }
                return OK;
            case DECIMAL:
                if (exponent || overflow)
                {
                    return fail(OUT_OF_RANGE, "field '" + f.name() + "' must be a plain decimal of at most 18 digits");
                }
                if (scale > f.scale())
                {
                    return fail(OUT_OF_RANGE, "field '" + f.name() + "' has more than " + f.scale() +
                        " decimal places");
                }
                slot.putLong(base + f.offset(), mantissa * Decimals.powerOfTen(f.scale() - scale));
                return OK;
            default:
                if (fraction || exponent)
                {
                    return wrongType(f, "a whole number");
                }
                if (overflow || mantissa == Field.nullLong(f.length()) || f.length() < 8 &&
                    (mantissa > (1L << (f.length() * 8 - 1)) - 1 || mantissa < -(1L << (f.length() * 8 - 1))))
                {
                    return fail(OUT_OF_RANGE, "field '" + f.name() + "' is out of range");
                }
                f.putLong(slot, base, mantissa);
                return OK;
        }
    }

    private int string(final Field f, final MutableDirectBuffer slot, final int base)
    {
        if (!consume('"'))
        {
            return wrongType(f, "a string");
        }
        // fast path: no escape before the closing quote, so the bytes go straight into the slot
        final int start = pos;
        int close = start;
        while (close < end && in[close] != '"' && in[close] != '\\')
        {
            close++;
        }
        if (close < end && in[close] == '"')
        {
            pos = close + 1;
            return f.putString(slot, base, in, start, close - start) ? OK : tooLong(f);
        }
        int n = 0;
        while (true)
        {
            if (pos >= end)
            {
                return fail(INVALID_JSON, "unterminated string in field '" + f.name() + "'");
            }
            byte b = in[pos++];
            if (b == '"')
            {
                break;
            }
            if (b == '\\')
            {
                final byte e = in[pos++];
                final int simple = unescape(e);
                if (simple >= 0)
                {
                    b = (byte)simple;
                }
                else if (e == 'u')
                {
                    final int written = unicode(n);
                    if (written < 0)
                    {
                        return fail(INVALID_JSON, "bad \\u escape in field '" + f.name() + "'");
                    }
                    n = written;
                    continue;
                }
                else
                {
                    return fail(INVALID_JSON, "bad escape in field '" + f.name() + "'");
                }
            }
            if (n >= f.length())
            {
                return tooLong(f);
            }
            text[n++] = b;
        }
        return f.putString(slot, base, text, 0, n) ? OK : tooLong(f);
    }

    /** Copies the value's JSON text, validated, into the variable data. */
    private int json(final Field f, final MutableDirectBuffer slot, final int base)
    {
        final int start = pos;
        final int stop = JsonValidator.skipValue(in, pos, end, MAX_DEPTH);
        if (stop < 0)
        {
            return fail(INVALID_JSON, "field '" + f.name() + "': " + JsonValidator.describe(stop));
        }
        pos = stop;
        return variable(f, slot, base, in, start, stop - start);
    }

    private int variable(final Field f, final MutableDirectBuffer slot, final int base, final byte[] from,
        final int at, final int n)
    {
        if (variableAt + n > capacity)
        {
            return tooLarge(f);
        }
        slot.putBytes(base + variableAt, from, at, n);
        f.putReference(slot, base, variableAt, n);
        variableAt += n;
        return OK;
    }

    private int tooLarge(final Field f)
    {
        return fail(TOO_LARGE, "the record does not fit in " + capacity + " bytes (at field '" + f.name() + "')");
    }

    /** A string of any length into the variable data: escapes decoded straight into the slot. */
    private int variableString(final Field f, final MutableDirectBuffer slot, final int base)
    {
        if (!consume('"'))
        {
            return wrongType(f, "a string");
        }
        final int start = pos;
        int close = JsonValidator.plainRun(in, start, end);
        while (close < end && in[close] != '"' && in[close] != '\\')
        {
            close++;
        }
        if (close < end && in[close] == '"')
        {
            pos = close + 1;
            return variable(f, slot, base, in, start, close - start);
        }
        final int from = variableAt;
        int n = 0;
        final int limit = capacity - from;
        while (true)
        {
            if (pos >= end)
            {
                return fail(INVALID_JSON, "unterminated string in field '" + f.name() + "'");
            }
            byte b = in[pos++];
            if (b == '"')
            {
                break;
            }
            if (b == '\\')
            {
                final byte e = in[pos++];
                final int simple = unescape(e);
                if (simple >= 0)
                {
                    b = (byte)simple;
                }
                else if (e == 'u')
                {
                    final int written = unicode(0);
                    if (written < 0)
                    {
                        return fail(INVALID_JSON, "bad \\u escape in field '" + f.name() + "'");
                    }
                    if (n + written > limit)
                    {
                        return tooLarge(f);
                    }
                    slot.putBytes(base + from + n, text, 0, written);
                    n += written;
                    continue;
                }
                else
                {
                    return fail(INVALID_JSON, "bad escape in field '" + f.name() + "'");
                }
            }
            if (n >= limit)
            {
                return tooLarge(f);
            }
            slot.putByte(base + from + n++, b);
        }
        f.putReference(slot, base, from, n);
        variableAt = from + n;
        return OK;
    }

    /** @return the byte a one-letter escape ({@code \\n}, {@code \\"}, ...) stands for, or -1 ({@code \\u} or invalid). */
    private static int unescape(final byte e)
    {
        switch (e)
        {
            case 'n': return '\n';
            case 't': return '\t';
            case 'r': return '\r';
            case 'b': return '\b';
            case 'f': return '\f';
            case '/':
            case '\\':
            case '"': return e;
            default: return -1;
        }
    }

    private int tooLong(final Field f)
    {
        return fail(TOO_LONG, "field '" + f.name() + "' is longer than " + f.length() + " bytes");
    }

    /** Decodes {@code \\uXXXX} (and a following low surrogate) as UTF-8 into {@link #text}; @return new length. */
    private int unicode(final int n)
    {
        int c = hex4();
        if (c < 0)
        {
            return -1;
        }
        if (c >= 0xD800 && c <= 0xDBFF && pos + 1 < end && in[pos] == '\\' && in[pos + 1] == 'u')
        {
            pos += 2;
            final int low = hex4();
            if (low < 0xDC00 || low > 0xDFFF)
            {
                return -1;
            }
            c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        }
        int m = n;
        if (m + 4 > text.length)
        {
            return -1;
        }
        if (c < 0x80)
        {
            text[m++] = (byte)c;
        }
        else if (c < 0x800)
        {
            text[m++] = (byte)(0xC0 | c >> 6);
            text[m++] = (byte)(0x80 | c & 0x3F);
        }
        else if (c < 0x10000)
        {
            text[m++] = (byte)(0xE0 | c >> 12);
            text[m++] = (byte)(0x80 | c >> 6 & 0x3F);
            text[m++] = (byte)(0x80 | c & 0x3F);
        }
        else
        {
            text[m++] = (byte)(0xF0 | c >> 18);
            text[m++] = (byte)(0x80 | c >> 12 & 0x3F);
            text[m++] = (byte)(0x80 | c >> 6 & 0x3F);
            text[m++] = (byte)(0x80 | c & 0x3F);
        }
        return m;
    }

    private int hex4()
    {
        int v = 0;
        for (int i = 0; i < 4; i++)
        {
            if (pos >= end)
            {
                return -1;
            }
            final int d = Character.digit(in[pos++], 16);
            if (d < 0)
            {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** {@code "2026-01-01T00:00:00[.ffffff][Z]"}: UTC, micros. */
    private int isoTimestamp(final Field f, final MutableDirectBuffer slot, final int base)
    {
        pos++;
        final int start = pos;
        while (pos < end && in[pos] != '"')
        {
            pos++;
        }
        if (pos >= end)
        {
            return fail(INVALID_JSON, "unterminated string in field '" + f.name() + "'");
        }
        final int stop = pos++;
        final int n = stop - start;
        if (n < 19 || in[start + 4] != '-' || in[start + 7] != '-' || (in[start + 10] != 'T' &&
            in[start + 10] != ' ') || in[start + 13] != ':' || in[start + 16] != ':')
        {
            return wrongType(f, "an ISO-8601 UTC time such as 2026-01-01T00:00:00Z");
        }
        final long year = digitsAt(start, 4);
        final long month = digitsAt(start + 5, 2);
        final long day = digitsAt(start + 8, 2);
        final long hour = digitsAt(start + 11, 2);
        final long minute = digitsAt(start + 14, 2);
        final long second = digitsAt(start + 17, 2);
        long micros = 0;
        int i = start + 19;
        if (i < stop && in[i] == '.')
        {
            i++;
            int places = 0;
            while (i < stop && in[i] >= '0' && in[i] <= '9')
            {
                if (places < 6)
                {
                    micros = micros * 10 + (in[i] - '0');
                    places++;
                }
                i++;
            }
            while (places++ < 6)
            {
                micros *= 10;
            }
        }
        if (i < stop && in[i] == 'Z')
        {
            i++;
        }
        if (i != stop || year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
            second > 60)
        {
            return wrongType(f, "an ISO-8601 UTC time such as 2026-01-01T00:00:00Z");
        }
        final long days = daysFromCivil(year, month, day);
        slot.putLong(base + f.offset(), ((days * 24 + hour) * 60 + minute) * 60_000_000L + second * 1_000_000L +
            micros);
        return OK;
    }

    private long digitsAt(final int at, final int count)
    {
        long v = 0;
        for (int i = 0; i < count; i++)
        {
            final byte b = in[at + i];
            if (b < '0' || b > '9')
            {
                return -1;
            }
            v = v * 10 + (b - '0');
        }
        return v;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
    static long daysFromCivil(final long y0, final long m, final long d)
    {
        final long y = m <= 2 ? y0 - 1 : y0;
        final long era = Math.floorDiv(y, 400);
        final long yoe = y - era * 400;
        final long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        final long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    /** Skips any JSON value (for keys not in the layout), nesting included. */
    private int skipValue()
    {
        int depth = 0;
        while (pos < end)
        {
            final byte b = in[pos];
            if (b == '"')
            {
                pos++;
                while (pos < end && in[pos] != '"')
                {
                    pos += in[pos] == '\\' ? 2 : 1;
                }
                pos++;
                if (depth == 0)
                {
                    return OK;
                }
                continue;
            }
            if (b == '{' || b == '[')
            {
                depth++;
            }
            else if (b == '}' || b == ']')
            {
                if (depth == 0)
                {
                    return OK;
                }
                depth--;
                if (depth == 0)
                {
                    pos++;
                    return OK;
                }
            }
            else if (b == ',' && depth == 0)
            {
                return OK;
            }
            pos++;
        }
        return fail(INVALID_JSON, "truncated JSON");
    }
}

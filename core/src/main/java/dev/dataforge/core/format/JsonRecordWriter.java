package dev.dataforge.core.format;

import dev.dataforge.codec.Decimals;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;
import dev.dataforge.codec.RecordLayout;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Renders a record as one UTF-8 JSON object, fields in layout order, into a reused byte array: no allocation per
 * record except for doubles (which go through {@link Double#toString}). NULL is {@code null}; decimals are exact
 * ({@code 19.99}, {@code -0.05}); timestamps are ISO-8601 UTC with microseconds
 * ({@code "2026-11-24T21:34:48.123456Z"}); strings are escaped per RFC 8259.
 */
public final class JsonRecordWriter
{
    private static final byte[] NULL = bytes("null");
    private static final byte[] TRUE = bytes("true");
    private static final byte[] FALSE = bytes("false");
    private static final byte[] HEX = bytes("0123456789abcdef");

    private final Field[] fields;
    private final byte[][] keys;
    private byte[] out = new byte[1024];
    private int length;

    public JsonRecordWriter(final RecordLayout layout)
    {
        final List<Field> all = layout.fields();
        this.fields = all.toArray(new Field[0]);
        this.keys = new byte[fields.length][];
        for (int i = 0; i < fields.length; i++)
        {
            keys[i] = bytes((i == 0 ? "{\"" : ",\"") + fields[i].name() + "\":");
        }
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the bytes of the last record written, valid until the next {@link #write}. */
    public byte[] array()
    {
        return out;
    }

    /** @return the length of the last record written. */
    public int length()
    {
        return length;
    }

    /**
     * Renders the record at {@code base}.
     *
     * @return its length in {@link #array()}.
     */
    public int write(final DirectBuffer buffer, final int base)
    {
        length = 0;
        for (int i = 0; i < fields.length; i++)
        {
            append(keys[i]);
            final Field f = fields[i];
            if (f.isNull(buffer, base))
            {
                append(NULL);
                continue;
            }
            switch (f.type())
            {
                case LONG: appendLong(f.getLong(buffer, base)); break;
                case DECIMAL: appendDecimal(f.getLong(buffer, base), f.scale()); break;
                case DOUBLE: appendDouble(f.getDouble(buffer, base)); break;
                case BOOLEAN: append(f.getBoolean(buffer, base) ? TRUE : FALSE); break;
                case TIMESTAMP: appendTimestamp(f.getLong(buffer, base)); break;
                default: appendString(buffer, base + f.offset(), f.stringLength(buffer, base)); break;
            }
        }
        if (fields.length == 0)
        {
            appendByte('{');
        }
        appendByte('}');
        return length;
    }

    /** Allocates: for tests and tools. */
    public String toJson(final DirectBuffer buffer, final int base)
    {
        final int n = write(buffer, base);
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private void ensure(final int extra)
    {
        if (length + extra > out.length)
        {
            out = Arrays.copyOf(out, Math.max(out.length * 2, length + extra));
        }
    }

    private void append(final byte[] b)
    {
        ensure(b.length);
        System.arraycopy(b, 0, out, length, b.length);
        length += b.length;
    }

    private void appendByte(final int b)
    {
        ensure(1);
        out[length++] = (byte)b;
    }

    private void appendLong(final long v)
    {
        if (v == Long.MIN_VALUE)
        {
            append(bytes(Long.toString(v)));
            return;
        }
        ensure(20);
        long n = v;
        if (n < 0)
        {
            out[length++] = '-';
            n = -n;
        }
        final int digits = digits(n);
        for (int i = length + digits - 1; i >= length; i--)
        {
            out[i] = (byte)('0' + n % 10);
            n /= 10;
        }
        length += digits;
    }

    private static int digits(final long n)
    {
        int d = 1;
        long p = 10;
        while (d < 19 && n >= p)
        {
            d++;
            p *= 10;
        }
        return d;
    }

    private void appendDecimal(final long mantissa, final int scale)
    {
        if (scale == 0)
        {
            appendLong(mantissa);
            return;
        }
        final long unit = Decimals.powerOfTen(scale);
        final boolean negative = mantissa < 0;
        final long abs = negative ? -mantissa : mantissa;
        if (negative)
        {
            appendByte('-');
        }
        appendLong(abs / unit);
        appendByte('.');
        pad(abs % unit, scale);
    }

    private void appendDouble(final double v)
    {
        if (Double.isInfinite(v))
        {
            append(NULL);
            return;
        }
        append(bytes(Double.toString(v)));
    }

    /** Civil date from days since 1970-01-01 (H. Hinnant's algorithm), then hh:mm:ss.uuuuuu. */
    private void appendTimestamp(final long micros)
    {
        final long days = Math.floorDiv(micros, 86_400_000_000L);
        long rest = Math.floorMod(micros, 86_400_000_000L);
        final long z = days + 719_468;
        final long era = Math.floorDiv(z, 146_097);
        final long doe = z - era * 146_097;
        final long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        final long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        final long mp = (5 * doy + 2) / 153;
        final long day = doy - (153 * mp + 2) / 5 + 1;
        final long month = mp < 10 ? mp + 3 : mp - 9;
        final long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        appendByte('"');
        if (year < 0 || year > 9999)
        {
            appendLong(year);
        }
        else
        {
            pad(year, 4);
        }
        appendByte('-');
        pad(month, 2);
        appendByte('-');
        pad(day, 2);
        appendByte('T');
        pad(rest / 3_600_000_000L, 2);
        rest %= 3_600_000_000L;
        appendByte(':');
        pad(rest / 60_000_000L, 2);
        rest %= 60_000_000L;
        appendByte(':');
        pad(rest / 1_000_000L, 2);
        appendByte('.');
        pad(rest % 1_000_000L, 6);
        appendByte('Z');
        appendByte('"');
    }

    private void pad(final long value, final int width)
    {
        ensure(width);
        long v = value;
        for (int i = length + width - 1; i >= length; i--)
        {
            out[i] = (byte)('0' + v % 10);
            v /= 10;
        }
        length += width;
    }

    private void appendString(final DirectBuffer buffer, final int at, final int n)
    {
        ensure(n * 6 + 2);
        out[length++] = '"';
        for (int i = 0; i < n; i++)
        {
            final byte b = buffer.getByte(at + i);
            if (b == '"' || b == '\\')
            {
                out[length++] = '\\';
                out[length++] = b;
            }
            else if (b >= 0 && b < 0x20)
            {
                switch (b)
                {
                    case '\n': out[length++] = '\\'; out[length++] = 'n'; break;
                    case '\r': out[length++] = '\\'; out[length++] = 'r'; break;
                    case '\t': out[length++] = '\\'; out[length++] = 't'; break;
                    default:
                        out[length++] = '\\';
                        out[length++] = 'u';
                        out[length++] = '0';
                        out[length++] = '0';
                        out[length++] = HEX[(b >> 4) & 0xF];
                        out[length++] = HEX[b & 0xF];
                }
            }
            else
            {
                out[length++] = b;
            }
        }
        out[length++] = '"';
    }

    /** @return true when the type is rendered without allocating. */
    public static boolean allocationFree(final FieldType type)
    {
        return type != FieldType.DOUBLE;
    }
}

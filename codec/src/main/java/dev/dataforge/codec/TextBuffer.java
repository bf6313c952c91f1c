package dev.dataforge.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that renders numbers, exact decimals and timestamps as ASCII text without allocating:
 * the shared base of the JSON and the PostgreSQL COPY encoders.
 */
public class TextBuffer
{
    private byte[] out = new byte[1024];
    private int length;

    public static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the bytes written so far (valid up to {@link #length()}). */
    public final byte[] array()
    {
        return out;
    }

    public final int length()
    {
        return length;
    }

    public final void reset()
    {
        length = 0;
    }

    protected final void ensure(final int extra)
    {
        if (length + extra > out.length)
        {
            out = Arrays.copyOf(out, Math.max(out.length * 2, length + extra));
        }
    }

    public final void append(final byte[] b)
    {
        ensure(b.length);
        System.arraycopy(b, 0, out, length, b.length);
        length += b.length;
    }

    /** Appends {@code n} bytes of {@code buffer} from {@code at}, unchanged. */
    public final void append(final org.agrona.DirectBuffer buffer, final int at, final int n)
    {
        ensure(n);
        buffer.getBytes(at, out, length, n);
        length += n;
    }

    public final void appendByte(final int b)
    {
        ensure(1);
        out[length++] = (byte)b;
    }

    /** Appends without a bounds check: call {@link #ensure} first. */
    protected final void put(final int b)
    {
        out[length++] = (byte)b;
    }

    public final void appendLong(final long v)
    {
        if (v == Long.MIN_VALUE)
        {
            append(ascii(Long.toString(v)));
            return;
        }
        ensure(20);
        long n = v;
        if (n < 0)
        {
            out[length++] = '-';
            n = -n;
        }
        pad(n, digits(n));
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

    /** Appends {@code mantissa * 10^-scale} exactly: {@code 19.99}, {@code -0.05}, {@code 100.00}. */
    public final void appendDecimal(final long mantissa, final int scale)
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

    /** Appends a double as Java prints it (this one allocates). */
    public final void appendDouble(final double v)
    {
        append(ascii(Double.toString(v)));
    }

    /**
     * Appends epoch microseconds as {@code 2026-11-24<separator>21:34:48.123456}, from the civil date of
     * the day count (H. Hinnant's algorithm), without java.time.
     */
    public final void appendTimestamp(final long micros, final char separator)
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
        appendByte(separator);
        pad(rest / 3_600_000_000L, 2);
        rest %= 3_600_000_000L;
        appendByte(':');
        pad(rest / 60_000_000L, 2);
        rest %= 60_000_000L;
        appendByte(':');
        pad(rest / 1_000_000L, 2);
        appendByte('.');
        pad(rest % 1_000_000L, 6);
    }

    /** Appends {@code value} as exactly {@code width} digits, zero padded. */
    public final void pad(final long value, final int width)
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
}

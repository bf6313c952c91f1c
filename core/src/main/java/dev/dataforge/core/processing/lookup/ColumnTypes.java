package dev.dataforge.core.processing.lookup;

import dev.dataforge.api.lookup.LookupRows;
import dev.dataforge.codec.Decimals;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Column types of lookup tables inferred from a column's values (declared types are parsed by
 * {@link dev.dataforge.codec.FieldTypes}). Both give a {@link Field} at offset 0; the table places it in its row
 * image.
 */
final class ColumnTypes
{
    /** The widest string column a table takes; the enrichment region is far smaller, this only bounds memory. */
    static final int MAX_STRING_LENGTH = LookupRows.MAX_STRING_BYTES;

    private ColumnTypes()
    {
    }

    /**
     * Infers a column's type from all its values: long when every non-NULL value is an integer, else decimal(S)
     * when all are plain decimals that fit 18 digits at the largest scale S, else double when all are numbers, else
     * boolean when all are true/false, else string(N) with N the longest value in UTF-8 bytes (at least 1). A
     * column of JSON strings is always a string.
     */
    static Field infer(final LookupRows raw, final int column)
    {
        final String name = raw.columns().get(column);
        boolean allLong = !raw.isText(column);
        boolean allDecimal = allLong;
        boolean allNumber = allLong;
        boolean allBoolean = allLong;
        boolean any = false;
        int maxScale = 0;
        int maxIntegerDigits = 0;
        int maxBytes = 1;
        for (int row = 0, size = raw.size(); row < size; row++)
        {
            final String v = raw.value(row, column);
            if (v == null)
            {
                continue;
            }
            any = true;
            maxBytes = Math.max(maxBytes, utf8Length(v));
            if (allLong && !isLong(v))
            {
                allLong = false;
            }
            if (allDecimal)
            {
                final long shape = decimalShape(v);
                if (shape < 0)
                {
                    allDecimal = false;
                }
                else
                {
                    maxIntegerDigits = Math.max(maxIntegerDigits, (int)(shape >>> 32));
                    maxScale = Math.max(maxScale, (int)shape);
                }
            }
            if (allNumber && !allDecimal && !isNumber(v))
            {
                allNumber = false;
            }
            if (allBoolean && !isBoolean(v))
            {
                allBoolean = false;
            }
        }
        if (any && allLong)
        {
            return new Field(name, FieldType.LONG, 0, 8, 0);
        }
        if (any && allDecimal && maxIntegerDigits + maxScale <= Decimals.MAX_SCALE)
        {
            return new Field(name, FieldType.DECIMAL, 0, 8, maxScale);
        }
        if (any && allNumber)
        {
            return new Field(name, FieldType.DOUBLE, 0, 8, 0);
        }
        if (any && allBoolean)
        {
            return new Field(name, FieldType.BOOLEAN, 0, 1, 0);
        }
        return new Field(name, FieldType.STRING, 0, Math.min(maxBytes, MAX_STRING_LENGTH), 0);
    }

    static int utf8Length(final String s)
    {
        int n = 0;
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c < 0x80)
            {
                n++;
            }
            else if (c < 0x800)
            {
                n += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
            {
                n += 4;
                i++;
            }
            else
            {
                n += 3;
            }
        }
        return n;
    }

    static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static boolean isLong(final String v)
    {
        final String t = v.trim();
        try
        {
            return Long.parseLong(t) != Long.MIN_VALUE;
        }
        catch (final NumberFormatException e)
        {
            return false;
        }
    }

    /**
     * @return for a plain decimal ({@code -12.50}, {@code 3}, {@code .5}): integer digits (leading zeros dropped) in
     * the high 32 bits and decimal places in the low 32; -1 for anything else.
     */
    static long decimalShape(final String v)
    {
        final String t = v.trim();
        int i = 0;
        final int n = t.length();
        if (i < n && (t.charAt(i) == '-' || t.charAt(i) == '+'))
        {
            i++;
        }
        while (i < n && t.charAt(i) == '0')
        {
            i++;
        }
        int integerDigits = 0;
        int anyDigits = i > 0 && t.charAt(i - 1) == '0' ? 1 : 0;
        while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9')
        {
            integerDigits++;
            i++;
        }
        int scale = 0;
        if (i < n && t.charAt(i) == '.')
        {
            i++;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9')
            {
                scale++;
                i++;
            }
        }
        if (i != n || integerDigits + scale + anyDigits == 0 || integerDigits + scale > Decimals.MAX_SCALE)
        {
            return -1;
        }
        return ((long)integerDigits << 32) | scale;
    }

    static boolean isNumber(final String v)
    {
        try
        {
            new BigDecimal(v.trim());
            return true;
        }
        catch (final NumberFormatException e)
        {
            return false;
        }
    }

    static boolean isBoolean(final String v)
    {
        final String t = v.trim();
        return t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false");
    }
}

package dev.dataforge.core.lookup;

import dev.dataforge.codec.Decimals;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Column types of lookup tables: parsing a declared type ({@code long}, {@code int}, {@code double},
 * {@code decimal(S)}, {@code string(N)}, {@code boolean}, {@code timestamp}) and inferring one from a column's
 * values. Both give a {@link Field} at offset 0; the table places it in its row image.
 */
final class ColumnTypes
{
    /** The widest string column a table takes; the enrichment region is far smaller, this only bounds memory. */
    static final int MAX_STRING_LENGTH = 4096;
    static final String KNOWN = "long, int, double, decimal(S), string(N), boolean, timestamp";

    private ColumnTypes()
    {
    }

    /**
     * @return the column as a field at offset 0.
     * @throws IllegalArgumentException with a message for the user when the type is not one of {@link #KNOWN}.
     */
    static Field parse(final String column, final String typeText)
    {
        final String t = typeText.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        switch (t)
        {
            case "long":
            case "int64": return new Field(column, FieldType.LONG, 0, 8, 0);
            case "int":
            case "int32": return new Field(column, FieldType.LONG, 0, 4, 0);
            case "int16": return new Field(column, FieldType.LONG, 0, 2, 0);
            case "int8": return new Field(column, FieldType.LONG, 0, 1, 0);
            case "double": return new Field(column, FieldType.DOUBLE, 0, 8, 0);
            case "float": return new Field(column, FieldType.DOUBLE, 0, 4, 0);
            case "boolean": return new Field(column, FieldType.BOOLEAN, 0, 1, 0);
            case "timestamp": return new Field(column, FieldType.TIMESTAMP, 0, 8, 0);
            default: break;
        }
        if (t.startsWith("decimal(") && t.endsWith(")"))
        {
            final int scale = parameter(t, "decimal", typeText);
            if (scale > Decimals.MAX_SCALE)
            {
                throw new IllegalArgumentException("decimal scale must be 0 to " + Decimals.MAX_SCALE + ", not " +
                    scale);
            }
            return new Field(column, FieldType.DECIMAL, 0, 8, scale);
        }
        if (t.startsWith("string(") && t.endsWith(")"))
        {
            final int length = parameter(t, "string", typeText);
            if (length < 1 || length > MAX_STRING_LENGTH)
            {
                throw new IllegalArgumentException("string length must be 1 to " + MAX_STRING_LENGTH + " bytes, not " +
                    length);
            }
            return new Field(column, FieldType.STRING, 0, length, 0);
        }
        if (t.equals("string") || t.equals("decimal"))
        {
            throw new IllegalArgumentException("'" + typeText + "' needs its " + (t.equals("string") ?
                "length in bytes, e.g. string(32)" : "scale, e.g. decimal(2)"));
        }
        throw new IllegalArgumentException("unknown type '" + typeText + "' (known: " + KNOWN + ")");
    }

    private static int parameter(final String t, final String prefix, final String typeText)
    {
        try
        {
            return Integer.parseInt(t.substring(prefix.length() + 1, t.length() - 1));
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("'" + typeText + "': expected a whole number in the parentheses, e.g. " +
                prefix + (prefix.equals("string") ? "(32)" : "(2)"));
        }
    }

    /**
     * Infers a column's type from all its values: long when every non-NULL value is an integer, else decimal(S)
     * when all are plain decimals that fit 18 digits at the largest scale S, else double when all are numbers, else
     * boolean when all are true/false, else string(N) with N the longest value in UTF-8 bytes (at least 1). A
     * column of JSON strings is always a string.
     */
    static Field infer(final RawTable raw, final int column)
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
            new java.math.BigDecimal(v.trim());
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

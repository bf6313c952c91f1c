package dev.dataforge.core.processing.lookup;

import dev.dataforge.codec.Field;
import org.agrona.MutableDirectBuffer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Writes one text value of lookup data into its column's binary form, or explains why it does not fit the type.
 * Runs when a table loads, never per event.
 */
final class ValueEncoder
{
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger LONG_MIN_VALUE = BigInteger.valueOf(-Long.MAX_VALUE);

    private ValueEncoder()
    {
    }

    /**
     * Writes {@code text} (null for NULL) into {@code field} at {@code base}.
     *
     * @return null when written, else what is wrong, for the user.
     */
    static String encode(final String text, final Field field, final MutableDirectBuffer buffer, final int base)
    {
        if (text == null)
        {
            field.putNull(buffer, base);
            return null;
        }
        switch (field.type())
        {
            case STRING: return encodeString(text, field, buffer, base);
            case LONG: return encodeLong(text, field, buffer, base);
            case DECIMAL: return encodeDecimal(text, field, buffer, base);
            case DOUBLE: return encodeDouble(text, field, buffer, base);
            case BOOLEAN: return encodeBoolean(text, field, buffer, base);
            default: return encodeTimestamp(text, field, buffer, base);
        }
    }

    private static String encodeString(
        final String text, final Field field, final MutableDirectBuffer buffer, final int base)
    {
        final byte[] bytes = ColumnTypes.utf8(text);
        if (!field.putString(buffer, base, bytes))
        {
            return "'" + abbreviate(text) + "' is " + bytes.length + " bytes, longer than " + field.typeDescription();
        }
        return null;
    }

    private static String encodeLong(
        final String text, final Field field, final MutableDirectBuffer buffer, final int base)
    {
        final long value;
        try
        {
            value = Long.parseLong(text.trim());
        }
        catch (final NumberFormatException e)
        {
            return "'" + abbreviate(text) + "' is not " + (ColumnTypes.isNumber(text) ? "a whole number" :
                "an integer") + " (" + field.typeDescription() + ")";
        }
        final long max = -(Field.nullLong(field.length()) + 1);
        if (value > max || value < -max)
        {
            return "'" + text.trim() + "' does not fit " + field.typeDescription() + " (" + -max + " to " + max + ")";
        }
        field.putLong(buffer, base, value);
        return null;
    }

    private static String encodeDecimal(
        final String text, final Field field, final MutableDirectBuffer buffer, final int base)
    {
        final BigDecimal value;
        try
        {
            value = new BigDecimal(text.trim());
        }
        catch (final NumberFormatException e)
        {
            return "'" + abbreviate(text) + "' is not a decimal number (" + field.typeDescription() + ")";
        }
        final BigInteger mantissa;
        try
        {
            mantissa = value.setScale(field.scale()).unscaledValue();
        }
        catch (final ArithmeticException e)
        {
            return "'" + text.trim() + "' has more than " + field.scale() + " decimal place" +
                (field.scale() == 1 ? "" : "s") + " (" + field.typeDescription() + "); declare a larger scale";
        }
        if (mantissa.compareTo(LONG_MAX) > 0 || mantissa.compareTo(LONG_MIN_VALUE) < 0)
        {
            return "'" + text.trim() + "' is too large for " + field.typeDescription() + " (at most 18 digits)";
        }
        buffer.putLong(base + field.offset(), mantissa.longValue());
        return null;
    }

    private static String encodeDouble(
        final String text, final Field field, final MutableDirectBuffer buffer, final int base)
    {
        final double value;
        try
        {
            value = new BigDecimal(text.trim()).doubleValue();
        }
        catch (final NumberFormatException e)
        {
            return "'" + abbreviate(text) + "' is not a number (" + field.typeDescription() + ")";
        }
        if (Double.isInfinite(value) || (field.length() == 4 && Float.isInfinite((float)value)))
        {
            return "'" + text.trim() + "' is too large for " + field.typeDescription();
        }
        field.putDouble(buffer, base, value);
        return null;
    }

    private static String encodeBoolean(
        final String text, final Field field, final MutableDirectBuffer buffer, final int base)
    {
        final String t = text.trim();
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false"))
        {
            field.putBoolean(buffer, base, t.equalsIgnoreCase("true"));
            return null;
        }
        return "'" + abbreviate(text) + "' is not true or false (boolean)";
    }

    private static String encodeTimestamp(
        final String text, final Field field, final MutableDirectBuffer buffer, final int base)
    {
        final String t = text.trim();
        try
        {
            final long micros;
            if (ColumnTypes.isLong(t))
            {
                micros = Long.parseLong(t);
            }
            else if (t.length() == 10)
            {
                micros = toMicros(LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            else if (t.endsWith("Z") || t.lastIndexOf('+') > 9 || t.lastIndexOf('-') > 9)
            {
                micros = toMicros(OffsetDateTime.parse(t).toInstant());
            }
            else
            {
                micros = toMicros(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC));
            }
            buffer.putLong(base + field.offset(), micros);
            return null;
        }
        catch (final DateTimeParseException | ArithmeticException e)
        {
            return "'" + abbreviate(text) + "' is not a timestamp (epoch microseconds, 2024-05-01, " +
                "2024-05-01T12:00:00 in UTC, or 2024-05-01T12:00:00+02:00)";
        }
    }

    private static long toMicros(final Instant instant)
    {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    private static String abbreviate(final String text)
    {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}

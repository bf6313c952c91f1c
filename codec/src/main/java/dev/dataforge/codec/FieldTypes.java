package dev.dataforge.codec;

import java.util.Locale;

/**
 * The type names config uses for a field or a lookup column ({@code long}, {@code int}, {@code double},
 * {@code decimal(S)}, {@code string(N)}, {@code boolean}, {@code timestamp}, and the widths {@code int64},
 * {@code int32}, {@code int16}, {@code int8}, {@code float}), parsed into a {@link Field} at offset 0. One grammar for
 * JSON schemas given as field lists and for declared lookup columns.
 */
public final class FieldTypes
{
    /** The names a user can write, for messages. */
    public static final String KNOWN = "long, int, double, decimal(S), string(N), boolean, timestamp";
    /** The names an event schema takes, for messages. */
    public static final String KNOWN_EVENT = "long, int, double, decimal(S), string, string(N), json, boolean, " +
        "timestamp";

    private FieldTypes()
    {
    }

    /**
     * @param maxStringLength the widest {@code string(N)} the caller takes, in bytes.
     * @return the field at offset 0.
     * @throws IllegalArgumentException with a message for the user when the text is not a type.
     */
    public static Field parse(final String name, final String typeText, final int maxStringLength)
    {
        return parse(name, typeText, maxStringLength, false);
    }

    /**
     * @param variable true where variable-length fields are allowed (an event's schema): {@code string} without a
     *                 width and {@code json}; lookup columns are fixed.
     */
    public static Field parse(final String name, final String typeText, final int maxStringLength,
        final boolean variable)
    {
        final String t = typeText.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (variable && (t.equals("string") || t.equals("json")))
        {
            return Field.variable(name, t.equals("json") ? FieldType.JSON : FieldType.STRING);
        }
        switch (t)
        {
            case "long":
            case "int64": return new Field(name, FieldType.LONG, 0, 8, 0);
            case "int":
            case "int32": return new Field(name, FieldType.LONG, 0, 4, 0);
            case "int16": return new Field(name, FieldType.LONG, 0, 2, 0);
            case "int8": return new Field(name, FieldType.LONG, 0, 1, 0);
            case "double": return new Field(name, FieldType.DOUBLE, 0, 8, 0);
            case "float": return new Field(name, FieldType.DOUBLE, 0, 4, 0);
            case "boolean": return new Field(name, FieldType.BOOLEAN, 0, 1, 0);
            case "timestamp": return new Field(name, FieldType.TIMESTAMP, 0, 8, 0);
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
            return new Field(name, FieldType.DECIMAL, 0, 8, scale);
        }
        if (t.startsWith("string(") && t.endsWith(")"))
        {
            final int length = parameter(t, "string", typeText);
            if (length < 1 || length > maxStringLength)
            {
                throw new IllegalArgumentException("string length must be 1 to " + maxStringLength + " bytes, not " +
                    length);
            }
            return new Field(name, FieldType.STRING, 0, length, 0);
        }
        if (t.equals("json"))
        {
            throw new IllegalArgumentException("'json' is for event fields; a lookup column is a scalar type (" +
                KNOWN + ")");
        }
        if (t.equals("string") || t.equals("decimal"))
        {
            throw new IllegalArgumentException("'" + typeText.strip() + "' needs its " + (t.equals("string") ?
                "length in bytes, e.g. string(32)" : "scale, e.g. decimal(2)"));
        }
        throw new IllegalArgumentException("unknown type '" + typeText.strip() + "' (known: " +
            (variable ? KNOWN_EVENT : KNOWN) + ")");
    }

    private static int parameter(final String t, final String prefix, final String typeText)
    {
        try
        {
            return Integer.parseInt(t.substring(prefix.length() + 1, t.length() - 1));
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("'" + typeText.strip() + "': expected a whole number in the " +
                "parentheses, e.g. " + prefix + (prefix.equals("string") ? "(32)" : "(2)"));
        }
    }
}

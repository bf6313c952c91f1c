package dev.dataforge.codec;

import java.util.Locale;

/**
 * Logical type of a field in a record layout. The physical width lives on {@link Field}.
 */
public enum FieldType
{
    /** Signed integer of 1, 2, 4 or 8 bytes; NULL is the SBE null value of its width. */
    LONG,
    /** IEEE 754 double (8 bytes) or float (4 bytes); NULL is NaN. */
    DOUBLE,
    /** Exact decimal: an int64 mantissa with a fixed scale; NULL is {@link Long#MIN_VALUE}. */
    DECIMAL,
    /**
     * UTF-8 text. Fixed capacity ({@code string(N)}): zero padded, NULL (and the empty string) when the first byte
     * is 0. Variable ({@code string}): a reference into the record's variable data, NULL when its length is -1.
     */
    STRING,
    /** One byte: 0 false, 1 true, 255 NULL. */
    BOOLEAN,
    /** Microseconds since the Unix epoch, UTC, int64; NULL is {@link Long#MIN_VALUE}. */
    TIMESTAMP,
    /**
     * A JSON value (object, array or scalar) carried as its validated UTF-8 text, unchanged: always variable
     * length, a reference into the record's variable data like a variable {@code string}.
     */
    JSON;

    /** @return true when values of this type are compared as numbers. */
    public boolean isNumeric()
    {
        return this == LONG || this == DOUBLE || this == DECIMAL;
    }

    /** @return the lower-case name used in config and messages. */
    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.dataforge.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * One field of a {@link RecordLayout}: a name, a logical type and a fixed place in the slot, resolved once when a
 * pipeline loads. Reads and writes go straight to the slot's buffer at {@code base + offset}; nothing allocates.
 * <p>
 * A <em>variable</em> field (a {@code string} without a width, or {@code json}) holds in its fixed place a
 * reference to bytes in the record's variable data, behind the fixed block and the enrichment region:
 * <pre>
 *   offset: | int32 where (from the record's base) | int32 length, -1 for NULL |
 * </pre>
 * so a variable value is as long as the record allows ({@code max_record_bytes}), and reads stay zero-copy.
 * <p>
 * All values are little-endian, as in the SBE schema.
 */
public final class Field
{
    public static final byte BOOLEAN_NULL = (byte)0xFF;
    /** Bytes a variable field takes in the fixed block: where its data is and how long. */
    public static final int REFERENCE_LENGTH = 8;

    private final String name;
    private final FieldType type;
    private final int offset;
    private final int length;
    private final int scale;
    private final boolean variable;

    /** @return a variable-length field ({@link FieldType#STRING} or {@link FieldType#JSON}) at offset 0. */
    public static Field variable(final String name, final FieldType type)
    {
        if (type != FieldType.STRING && type != FieldType.JSON)
        {
            throw new IllegalArgumentException("only string and json fields are variable, not " + type.configName());
        }
        return new Field(name, type, 0, REFERENCE_LENGTH, 0, true);
    }

    public Field(final String name, final FieldType type, final int offset, final int length, final int scale)
    {
        if (type == FieldType.LONG && length != 1 && length != 2 && length != 4 && length != 8)
        {
            throw new IllegalArgumentException("integer field " + name + " must be 1, 2, 4 or 8 bytes, not " + length);
        }
        if (type == FieldType.DOUBLE && length != 4 && length != 8)
        {
            throw new IllegalArgumentException("floating field " + name + " must be 4 or 8 bytes, not " + length);
        }
        if ((type == FieldType.DECIMAL || type == FieldType.TIMESTAMP) && length != 8)
        {
            throw new IllegalArgumentException(type.configName() + " field " + name + " must be 8 bytes");
        }
        if (type == FieldType.BOOLEAN && length != 1)
        {
            throw new IllegalArgumentException("boolean field " + name + " must be 1 byte");
        }
        if (type == FieldType.JSON)
        {
            throw new IllegalArgumentException("json field " + name + " is always variable: use Field.variable");
        }
        this.name = name;
        this.type = type;
        this.offset = offset;
        this.length = length;
        this.scale = scale;
        this.variable = false;
    }

    private Field(final String name, final FieldType type, final int offset, final int length, final int scale,
        final boolean variable)
    {
        this.name = name;
        this.type = type;
        this.offset = offset;
        this.length = length;
        this.scale = scale;
        this.variable = variable;
    }

    public String name()
    {
        return name;
    }

    public FieldType type()
    {
        return type;
    }

    /** @return offset of the field from the start of the slot (the SBE header included). */
    public int offset()
    {
        return offset;
    }

    /** @return true when the value lives in the record's variable data (see the class comment). */
    public boolean isVariable()
    {
        return variable;
    }

    /** @return width in bytes in the fixed block; for fixed strings, the capacity; 8 for a variable field. */
    public int length()
    {
        return length;
    }

    /** @return decimal scale (digits after the point); 0 for other types. */
    public int scale()
    {
        return scale;
    }

    /** @return the field with another offset, for placing it inside a larger record. */
    public Field at(final int newOffset)
    {
        return new Field(name, type, newOffset, length, scale, variable);
    }

    /** @return the field under another name. */
    public Field renamed(final String newName)
    {
        return new Field(newName, type, offset, length, scale, variable);
    }

    /** @return a short type description such as {@code string(16)} or {@code decimal(2)}. */
    public String typeDescription()
    {
        switch (type)
        {
            case STRING: return variable ? "string" : "string(" + length + ")";
            case DECIMAL: return "decimal(" + scale + ")";
            case LONG: return length == 8 ? "long" : "int" + (length * 8);
            case DOUBLE: return length == 8 ? "double" : "float";
            default: return type.configName();
        }
    }

    // ---------------------------------------------------------------- reads

    public boolean isNull(final DirectBuffer buffer, final int base)
    {
        final int at = base + offset;
        if (variable)
        {
            return buffer.getInt(at + 4) < 0;
        }
        switch (type)
        {
            case STRING: return buffer.getByte(at) == 0;
            case BOOLEAN: return buffer.getByte(at) == BOOLEAN_NULL;
            case DOUBLE: return Double.isNaN(getDouble(buffer, base));
            case LONG: return getRawLong(buffer, at) == nullLong(length);
            default: return buffer.getLong(at) == Long.MIN_VALUE;
        }
    }

    /** @return the integer value (LONG, TIMESTAMP, BOOLEAN) or the raw mantissa (DECIMAL); NULL is not checked. */
    public long getLong(final DirectBuffer buffer, final int base)
    {
        return getRawLong(buffer, base + offset);
    }

    private long getRawLong(final DirectBuffer buffer, final int at)
    {
        switch (length)
        {
            case 1: return buffer.getByte(at);
            case 2: return buffer.getShort(at);
            case 4: return buffer.getInt(at);
            default: return buffer.getLong(at);
        }
    }

    public double getDouble(final DirectBuffer buffer, final int base)
    {
        final int at = base + offset;
        switch (type)
        {
            case DOUBLE: return length == 8 ? buffer.getDouble(at) : buffer.getFloat(at);
            case DECIMAL: return buffer.getLong(at) / Decimals.POWERS_OF_TEN_DOUBLE[scale];
            default: return getRawLong(buffer, at);
        }
    }

    public boolean getBoolean(final DirectBuffer buffer, final int base)
    {
        return buffer.getByte(base + offset) == 1;
    }

    /**
     * @return the number of bytes of text in a STRING or JSON field: a variable field's length (0 for NULL), or up to
     * the first zero byte of a fixed one, at most the capacity.
     */
    public int stringLength(final DirectBuffer buffer, final int base)
    {
        final int at = base + offset;
        if (variable)
        {
            return Math.max(0, buffer.getInt(at + 4));
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(at + i) == 0)
            {
                return i;
            }
        }
        return length;
    }

    /** @return where the text of a STRING or JSON field starts in {@code buffer}. */
    public int stringStart(final DirectBuffer buffer, final int base)
    {
        return variable ? base + buffer.getInt(base + offset) : base + offset;
    }

    /** @return true when the STRING field holds exactly {@code value} (all bytes of it). */
    public boolean stringEquals(final DirectBuffer buffer, final int base, final byte[] value)
    {
        final int n = value.length;
        if (variable)
        {
            if (buffer.getInt(base + offset + 4) != n)
            {
                return false;
            }
            final int from = stringStart(buffer, base);
            for (int i = 0; i < n; i++)
            {
                if (buffer.getByte(from + i) != value[i])
                {
                    return false;
                }
            }
            return true;
        }
        if (n > length)
        {
            return false;
        }
        final int at = base + offset;
        for (int i = 0; i < n; i++)
        {
            if (buffer.getByte(at + i) != value[i])
            {
                return false;
            }
        }
        return n == length || buffer.getByte(at + n) == 0;
    }

    /** Allocates: for tests, sinks that need a String, and messages, never the hot path of a stage. */
    public String getString(final DirectBuffer buffer, final int base)
    {
        final int n = stringLength(buffer, base);
        final byte[] bytes = new byte[n];
        buffer.getBytes(stringStart(buffer, base), bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- writes

    public void putNull(final MutableDirectBuffer buffer, final int base)
    {
        final int at = base + offset;
        if (variable)
        {
            buffer.putInt(at, 0);
            buffer.putInt(at + 4, -1);
            return;
        }
        switch (type)
        {
            case STRING: buffer.setMemory(at, length, (byte)0); break;
            case BOOLEAN: buffer.putByte(at, BOOLEAN_NULL); break;
            case DOUBLE:
                if (length == 8)
                {
                    buffer.putDouble(at, Double.NaN);
                }
                else
                {
                    buffer.putFloat(at, Float.NaN);
                }
                break;
            case LONG: putRawLong(buffer, at, nullLong(length)); break;
            default: buffer.putLong(at, Long.MIN_VALUE);
        }
    }

    public void putLong(final MutableDirectBuffer buffer, final int base, final long value)
    {
        putRawLong(buffer, base + offset, value);
    }

    private void putRawLong(final MutableDirectBuffer buffer, final int at, final long value)
    {
        switch (length)
        {
            case 1: buffer.putByte(at, (byte)value); break;
            case 2: buffer.putShort(at, (short)value); break;
            case 4: buffer.putInt(at, (int)value); break;
            default: buffer.putLong(at, value);
        }
    }

    public void putDouble(final MutableDirectBuffer buffer, final int base, final double value)
    {
        if (length == 8)
        {
            buffer.putDouble(base + offset, value);
        }
        else
        {
            buffer.putFloat(base + offset, (float)value);
        }
    }

    public void putBoolean(final MutableDirectBuffer buffer, final int base, final boolean value)
    {
        buffer.putByte(base + offset, value ? (byte)1 : (byte)0);
    }

    /**
     * Points a variable field at {@code length} bytes that start {@code where} bytes from the record's base (the
     * caller has written them into the record's variable data).
     */
    public void putReference(final MutableDirectBuffer buffer, final int base, final int where, final int length)
    {
        buffer.putInt(base + offset, where);
        buffer.putInt(base + offset + 4, length);
    }

    /**
     * Writes UTF-8 bytes into a fixed STRING field, zero padding the rest (a variable field is written with
     * {@link #putReference}, by whoever lays out the record's variable data).
     *
     * @return false, writing nothing, when the text does not fit the field's capacity.
     */
    public boolean putString(final MutableDirectBuffer buffer, final int base, final byte[] utf8, final int from, final int n)
    {
        if (variable)
        {
            throw new IllegalStateException("variable field " + name + " is written with putReference");
        }
        if (n > length)
        {
            return false;
        }
        final int at = base + offset;
        buffer.putBytes(at, utf8, from, n);
        if (n < length)
        {
            buffer.setMemory(at + n, length - n, (byte)0);
        }
        return true;
    }

    public boolean putString(final MutableDirectBuffer buffer, final int base, final byte[] utf8)
    {
        return putString(buffer, base, utf8, 0, utf8.length);
    }

    /** @return the SBE null value of a signed integer of the given width. */
    public static long nullLong(final int width)
    {
        switch (width)
        {
            case 1: return Byte.MIN_VALUE;
            case 2: return Short.MIN_VALUE;
            case 4: return Integer.MIN_VALUE;
            default: return Long.MIN_VALUE;
        }
    }

    @Override
    public String toString()
    {
        return name + " " + typeDescription() + " @" + offset;
    }
}

package dev.dataforge.codec;

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
public final class JsonRecordWriter extends TextBuffer
{
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] HEX = ascii("0123456789abcdef");

    private final Field[] fields;
    private final byte[][] keys;

    public JsonRecordWriter(final RecordLayout layout)
    {
        final List<Field> all = layout.fields();
        this.fields = all.toArray(new Field[0]);
        this.keys = new byte[fields.length][];
        for (int i = 0; i < fields.length; i++)
        {
            keys[i] = ascii((i == 0 ? "{\"" : ",\"") + fields[i].name() + "\":");
        }
    }

    /**
     * Renders the record at {@code base}.
     *
     * @return its length in {@link #array()}.
     */
    public int write(final DirectBuffer buffer, final int base)
    {
        reset();
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
                case DOUBLE: appendJsonDouble(f.getDouble(buffer, base)); break;
                case BOOLEAN: append(f.getBoolean(buffer, base) ? TRUE : FALSE); break;
                case TIMESTAMP:
                    appendByte('"');
                    appendTimestamp(f.getLong(buffer, base), 'T');
                    appendByte('Z');
                    appendByte('"');
                    break;
                case JSON: append(buffer, f.stringStart(buffer, base), f.stringLength(buffer, base)); break;
                default: appendString(buffer, f.stringStart(buffer, base), f.stringLength(buffer, base)); break;
            }
        }
        if (fields.length == 0)
        {
            appendByte('{');
        }
        appendByte('}');
        return length();
    }

    /** Allocates: for tests and tools. */
    public String toJson(final DirectBuffer buffer, final int base)
    {
        final int n = write(buffer, base);
        return new String(array(), 0, n, StandardCharsets.UTF_8);
    }

    private void appendJsonDouble(final double v)
    {
        if (Double.isInfinite(v))
        {
            append(NULL);
            return;
        }
        appendDouble(v);
    }

    private void appendString(final DirectBuffer buffer, final int at, final int n)
    {
        ensure(n * 6 + 2);
        put('"');
        for (int i = 0; i < n; i++)
        {
            final byte b = buffer.getByte(at + i);
            if (b == '"' || b == '\\')
            {
                put('\\');
                put(b);
            }
            else if (b >= 0 && b < 0x20)
            {
                switch (b)
                {
                    case '\n': put('\\'); put('n'); break;
                    case '\r': put('\\'); put('r'); break;
                    case '\t': put('\\'); put('t'); break;
                    default:
                        put('\\');
                        put('u');
                        put('0');
                        put('0');
                        put(HEX[(b >> 4) & 0xF]);
                        put(HEX[b & 0xF]);
                }
            }
            else
            {
                put(b);
            }
        }
        put('"');
    }

    /** @return true when the type is rendered without allocating. */
    public static boolean allocationFree(final FieldType type)
    {
        return type != FieldType.DOUBLE;
    }
}

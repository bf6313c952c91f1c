package dev.dataforge.connectors.jdbc;

import dev.dataforge.codec.Field;
import dev.dataforge.codec.TextBuffer;
import org.agrona.DirectBuffer;

/**
 * Encodes rows in PostgreSQL's COPY text format into one growing buffer: tab between columns, newline after each
 * row, {@code \N} for NULL, backslash escapes for backslash, tab, newline and carriage return.
 */
final class CopyTextWriter extends TextBuffer
{
    private static final byte[] NULL = ascii("\\N");

    void row(final Field[] fields, final DirectBuffer buffer, final int base)
    {
        for (int i = 0; i < fields.length; i++)
        {
            if (i > 0)
            {
                appendByte('\t');
            }
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
                case BOOLEAN: appendByte(f.getBoolean(buffer, base) ? 't' : 'f'); break;
                case TIMESTAMP: appendTimestamp(f.getLong(buffer, base), ' '); break;
                default: text(buffer, f.stringStart(buffer, base), f.stringLength(buffer, base)); break;
            }
        }
        appendByte('\n');
    }

    private void text(final DirectBuffer buffer, final int at, final int n)
    {
        ensure(2 * n);
        for (int i = 0; i < n; i++)
        {
            final byte b = buffer.getByte(at + i);
            switch (b)
            {
                case '\\': put('\\'); put('\\'); break;
                case '\t': put('\\'); put('t'); break;
                case '\n': put('\\'); put('n'); break;
                case '\r': put('\\'); put('r'); break;
                default: put(b); break;
            }
        }
    }
}

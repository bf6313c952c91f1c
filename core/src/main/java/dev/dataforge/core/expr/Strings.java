package dev.dataforge.core.expr;

import org.agrona.DirectBuffer;

/**
 * Byte-level string equality and ordering between slot fields and literals, without creating Strings.
 */
final class Strings
{
    private Strings()
    {
    }

    private static int length(final DirectBuffer b, final int base, final Expr.Str s)
    {
        return s.field != null ? s.field.stringLength(b, base) : s.literal.length;
    }

    private static int byteAt(final DirectBuffer b, final int base, final Expr.Str s, final int i)
    {
        return (s.field != null ? b.getByte(base + s.field.offset() + i) : s.literal[i]) & 0xFF;
    }

    static boolean equal(final DirectBuffer b, final int base, final Expr.Str x, final Expr.Str y)
    {
        if (y.field == null && x.field != null)
        {
            return x.field.stringEquals(b, base, y.literal);
        }
        if (x.field == null && y.field != null)
        {
            return y.field.stringEquals(b, base, x.literal);
        }
        return compare(b, base, x, y) == 0;
    }

    static int compare(final DirectBuffer b, final int base, final Expr.Str x, final Expr.Str y)
    {
        final int nx = length(b, base, x);
        final int ny = length(b, base, y);
        final int n = Math.min(nx, ny);
        for (int i = 0; i < n; i++)
        {
            final int c = byteAt(b, base, x, i) - byteAt(b, base, y, i);
            if (c != 0)
            {
                return c;
            }
        }
        return Integer.compare(nx, ny);
    }
}

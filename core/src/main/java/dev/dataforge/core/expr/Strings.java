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

    /** Both sides are known not NULL ({@link Expr.Str#isNull} was asked this evaluation). */
    static boolean equal(final DirectBuffer b, final int base, final Expr.Str x, final Expr.Str y)
    {
        if (y.literal != null && x.plain())
        {
            return x.field.stringEquals(b, base, y.literal);
        }
        if (x.literal != null && y.plain())
        {
            return y.field.stringEquals(b, base, x.literal);
        }
        return compare(b, base, x, y) == 0;
    }

    static int compare(final DirectBuffer b, final int base, final Expr.Str x, final Expr.Str y)
    {
        x.view(b, base);
        y.view(b, base);
        final int nx = x.length;
        final int ny = y.length;
        final int n = Math.min(nx, ny);
        final DirectBuffer sx = x.source;
        final DirectBuffer sy = y.source;
        final int ax = x.at;
        final int ay = y.at;
        for (int i = 0; i < n; i++)
        {
            final int c = (sx.getByte(ax + i) & 0xFF) - (sy.getByte(ay + i) & 0xFF);
            if (c != 0)
            {
                return c;
            }
        }
        return Integer.compare(nx, ny);
    }
}

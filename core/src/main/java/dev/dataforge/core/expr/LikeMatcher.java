package dev.dataforge.core.expr;

import org.agrona.DirectBuffer;

/**
 * SQL {@code LIKE} on UTF-8 bytes: {@code %} matches any run of characters, {@code _} exactly one character (one to
 * four bytes), everything else itself, case-sensitively. Greedy with one backtrack point, so linear for patterns
 * with a single {@code %} and O(n*m) at worst; no allocation.
 */
final class LikeMatcher
{
    private LikeMatcher()
    {
    }

    static boolean matches(final DirectBuffer text, final int at, final int length, final byte[] pattern)
    {
        int t = 0;
        int p = 0;
        int starP = -1;
        int starT = 0;
        while (t < length)
        {
            if (p < pattern.length && pattern[p] == '_')
            {
                t += charLength(text.getByte(at + t));
                p++;
            }
            else if (p < pattern.length && pattern[p] == '%')
            {
                starP = p++;
                starT = t;
            }
            else if (p < pattern.length && pattern[p] == text.getByte(at + t))
            {
                t++;
                p++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                starT += charLength(text.getByte(at + starT));
                t = starT;
            }
            else
            {
                return false;
            }
        }
        if (t > length)
        {
            return false;
        }
        while (p < pattern.length && pattern[p] == '%')
        {
            p++;
        }
        return p == pattern.length;
    }

    /** @return the number of bytes of the UTF-8 character that starts with {@code lead}. */
    static int charLength(final byte lead)
    {
        final int b = lead & 0xFF;
        if (b < 0x80)
        {
            return 1;
        }
        if (b >= 0xF0)
        {
            return 4;
        }
        if (b >= 0xE0)
        {
            return 3;
        }
        return b >= 0xC0 ? 2 : 1;
    }
}

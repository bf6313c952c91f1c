package dev.dataforge.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader into plain Java values, for work off the hot path (inferring a schema from sample
 * records): objects as {@link Map} in key order, arrays as {@link List}, strings as {@link String}, numbers as
 * {@link Number} (their text kept, so a scale or an exponent can be seen), {@code true}/{@code false} as
 * {@link Boolean}, and {@code null} as {@link #NULL}. The hot path uses {@link JsonTranscoder}.
 */
public final class JsonTree
{
    /** The JSON {@code null}. */
    public static final Object NULL = new Object()
    {
        @Override
        public String toString()
        {
            return "null";
        }
    };

    /** A number as written. */
    public record Number(String text)
    {
        /** @return true for an integer: no fraction and no exponent. */
        public boolean isInteger()
        {
            return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        }

        /** @return true when written with an exponent. */
        public boolean hasExponent()
        {
            return text.indexOf('e') >= 0 || text.indexOf('E') >= 0;
        }

        /** @return digits after the point (0 for an integer or an exponent without one). */
        public int scale()
        {
            final int dot = text.indexOf('.');
            if (dot < 0)
            {
                return 0;
            }
            int end = dot + 1;
            while (end < text.length() && Character.isDigit(text.charAt(end)))
            {
                end++;
            }
            return end - dot - 1;
        }
    }

    private final String in;
    private int pos;

    private JsonTree(final String in)
    {
        this.in = in;
    }

    /**
     * @return the value of one JSON document (white space around it allowed).
     * @throws IllegalArgumentException saying what is wrong and at which character.
     */
    public static Object parse(final byte[] utf8)
    {
        final JsonTree t = new JsonTree(new String(utf8, StandardCharsets.UTF_8));
        final Object v = t.value(0);
        t.skipSpace();
        if (t.pos != t.in.length())
        {
            throw t.error("text after the value");
        }
        return v;
    }

    private static final int MAX_DEPTH = 512;

    private Object value(final int depth)
    {
        if (depth > MAX_DEPTH)
        {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        skipSpace();
        if (pos >= in.length())
        {
            throw error("unexpected end");
        }
        final char c = in.charAt(pos);
        switch (c)
        {
            case '{': return object(depth);
            case '[': return array(depth);
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", NULL);
            default:
                if (c == '-' || c >= '0' && c <= '9')
                {
                    return number();
                }
                throw error("unexpected '" + c + "'");
        }
    }

    private Map<String, Object> object(final int depth)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}')
        {
            pos++;
            return out;
        }
        while (true)
        {
            skipSpace();
            if (peek() != '"')
            {
                throw error("expected a key");
            }
            final String key = string();
            skipSpace();
            expect(':');
            out.put(key, value(depth + 1));
            skipSpace();
            final char c = next();
            if (c == '}')
            {
                return out;
            }
            if (c != ',')
            {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(final int depth)
    {
        final List<Object> out = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']')
        {
            pos++;
            return out;
        }
        while (true)
        {
            out.add(value(depth + 1));
            skipSpace();
            final char c = next();
            if (c == ']')
            {
                return out;
            }
            if (c != ',')
            {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string()
    {
        pos++;
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            final char c = next();
            if (c == '"')
            {
                return sb.toString();
            }
            if (c < 0x20)
            {
                throw error("control character in a string");
            }
            if (c != '\\')
            {
                sb.append(c);
                continue;
            }
            final char e = next();
            switch (e)
            {
                case '"': case '\\': case '/': sb.append(e); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    if (pos + 4 > in.length())
                    {
                        throw error("unexpected end");
                    }
                    try
                    {
                        sb.append((char)Integer.parseInt(in.substring(pos, pos + 4), 16));
                    }
                    catch (final NumberFormatException bad)
                    {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                    break;
                default: throw error("bad escape '\\" + e + "'");
            }
        }
    }

    private Number number()
    {
        final int start = pos;
        if (peek() == '-')
        {
            pos++;
        }
        if (!digits())
        {
            throw error("expected a digit");
        }
        if (peek() == '.')
        {
            pos++;
            if (!digits())
            {
                throw error("expected a digit after '.'");
            }
        }
        if (peek() == 'e' || peek() == 'E')
        {
            pos++;
            if (peek() == '+' || peek() == '-')
            {
                pos++;
            }
            if (!digits())
            {
                throw error("expected a digit in the exponent");
            }
        }
        return new Number(in.substring(start, pos));
    }

    private boolean digits()
    {
        final int start = pos;
        while (pos < in.length() && in.charAt(pos) >= '0' && in.charAt(pos) <= '9')
        {
            pos++;
        }
        return pos > start;
    }

    private Object literal(final String word, final Object value)
    {
        if (!in.startsWith(word, pos))
        {
            throw error("unexpected '" + in.charAt(pos) + "'");
        }
        pos += word.length();
        return value;
    }

    private void skipSpace()
    {
        while (pos < in.length())
        {
            final char c = in.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                return;
            }
            pos++;
        }
    }

    private char peek()
    {
        return pos < in.length() ? in.charAt(pos) : 0;
    }

    private char next()
    {
        if (pos >= in.length())
        {
            throw error("unexpected end");
        }
        return in.charAt(pos++);
    }

    private void expect(final char c)
    {
        if (next() != c)
        {
            pos--;
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException(what + " at character " + (pos + 1));
    }
}

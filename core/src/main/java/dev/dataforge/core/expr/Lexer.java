package dev.dataforge.core.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a condition into tokens. Identifiers may contain dots ({@code event.user_id}); strings are single-quoted
 * with {@code ''} for a quote; numbers are integers or decimals.
 */
final class Lexer
{
    static final int MAX_LENGTH = 10_000;

    /** @return the position after {@code [digits]} at {@code i} (a path's array index), or -1. */
    private static int index(final String text, final int i)
    {
        int j = i + 1;
        while (j < text.length() && Character.isDigit(text.charAt(j)))
        {
            j++;
        }
        return j > i + 1 && j < text.length() && text.charAt(j) == ']' ? j + 1 : -1;
    }

    private Lexer()
    {
    }

    static List<Token> tokens(final String text)
    {
        if (text.length() > MAX_LENGTH)
        {
            throw new ExpressionException(MAX_LENGTH, "expression longer than " + MAX_LENGTH + " characters");
        }
        final List<Token> out = new ArrayList<>();
        int i = 0;
        final int n = text.length();
        while (i < n)
        {
            final char c = text.charAt(i);
            if (Character.isWhitespace(c))
            {
                i++;
            }
            else if (Character.isLetter(c) || c == '_')
            {
                final int start = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' ||
                    text.charAt(i) == '.' || text.charAt(i) == '[' && index(text, i) > i))
                {
                    i = text.charAt(i) == '[' ? index(text, i) : i + 1;
                }
                out.add(new Token(Token.Kind.IDENT, text.substring(start, i), start));
            }
            else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(text.charAt(i + 1))))
            {
                final int start = i;
                boolean dot = false;
                while (i < n && (Character.isDigit(text.charAt(i)) || (!dot && text.charAt(i) == '.')))
                {
                    dot |= text.charAt(i) == '.';
                    i++;
                }
                if (i < n && (Character.isLetter(text.charAt(i)) || text.charAt(i) == '_'))
                {
                    throw new ExpressionException(i, "unexpected '" + text.charAt(i) + "' after the number " +
                        text.substring(start, i));
                }
                out.add(new Token(dot ? Token.Kind.DECIMAL : Token.Kind.INTEGER, text.substring(start, i), start));
            }
            else if (c == '\'')
            {
                final int start = i;
                final StringBuilder sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= n)
                    {
                        throw new ExpressionException(start, "unterminated string: a closing ' is missing");
                    }
                    final char d = text.charAt(i);
                    if (d == '\'')
                    {
                        if (i + 1 < n && text.charAt(i + 1) == '\'')
                        {
                            sb.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    sb.append(d);
                    i++;
                }
                out.add(new Token(Token.Kind.STRING, sb.toString(), start));
            }
            else if (c == '(')
            {
                out.add(new Token(Token.Kind.LPAREN, "(", i++));
            }
            else if (c == ')')
            {
                out.add(new Token(Token.Kind.RPAREN, ")", i++));
            }
            else if (c == ',')
            {
                out.add(new Token(Token.Kind.COMMA, ",", i++));
            }
            else if (c == '<' || c == '>' || c == '!')
            {
                final int start = i++;
                if (i < n && (text.charAt(i) == '=' || (c == '<' && text.charAt(i) == '>')))
                {
                    i++;
                }
                final String op = text.substring(start, i);
                if (op.equals("!"))
                {
                    throw new ExpressionException(start, "unexpected '!': use NOT or !=");
                }
                out.add(new Token(Token.Kind.OPERATOR, op, start));
            }
            else if (c == '=' || c == '+' || c == '-' || c == '*' || c == '/')
            {
                if (c == '=' && i + 1 < n && text.charAt(i + 1) == '=')
                {
                    throw new ExpressionException(i, "unexpected '==': use '=' to compare");
                }
                out.add(new Token(Token.Kind.OPERATOR, String.valueOf(c), i++));
            }
            else if (c == '"')
            {
                throw new ExpressionException(i, "strings are written in single quotes: 'like this'");
            }
            else
            {
                throw new ExpressionException(i, "unexpected character '" + c + "'");
            }
        }
        out.add(new Token(Token.Kind.END, "", n));
        return out;
    }
}

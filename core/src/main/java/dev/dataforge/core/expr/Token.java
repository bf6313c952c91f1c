package dev.dataforge.core.expr;

/**
 * A token of the condition language, with its 0-based position in the text.
 */
record Token(Kind kind, String text, int position)
{
    enum Kind
    {
        IDENT, INTEGER, DECIMAL, STRING, OPERATOR, LPAREN, RPAREN, COMMA, END
    }

    boolean is(final Kind k)
    {
        return kind == k;
    }

    /** @return true for the keyword (an identifier, any case) or operator {@code s}. */
    boolean is(final String s)
    {
        return (kind == Kind.IDENT || kind == Kind.OPERATOR) && text.equalsIgnoreCase(s);
    }

    String describe()
    {
        switch (kind)
        {
            case END: return "the end of the expression";
            case STRING: return "'" + text + "'";
            default: return "'" + text + "'";
        }
    }
}

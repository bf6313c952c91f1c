package dev.dataforge.core.expr;

/**
 * An expression that cannot be compiled, with the 0-based character position of the offending token.
 */
public final class ExpressionException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int position;
    private final String reason;

    public ExpressionException(final int position, final String reason)
    {
        super("column " + (position + 1) + ": " + reason, null, false, false);
        this.position = position;
        this.reason = reason;
    }

    /** @return 0-based index into the expression text. */
    public int position()
    {
        return position;
    }

    public String reason()
    {
        return reason;
    }
}

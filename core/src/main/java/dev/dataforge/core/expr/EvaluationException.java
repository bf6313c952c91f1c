package dev.dataforge.core.expr;

/**
 * An expression could not be evaluated for one event (an arithmetic overflow). Preallocated, without a stack
 * trace: the process stage turns it into a dead letter with this message.
 */
public final class EvaluationException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public static final EvaluationException OVERFLOW = new EvaluationException("numeric overflow");

    private EvaluationException(final String message)
    {
        super(message, null, false, false);
    }
}

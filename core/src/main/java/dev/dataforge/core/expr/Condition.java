package dev.dataforge.core.expr;

import org.agrona.DirectBuffer;

/**
 * A compiled filter condition. {@link #test} reads the event's fields straight from its slot and allocates
 * nothing. A condition that is NULL (unknown, in SQL's three-valued logic) does not pass, as in SQL {@code WHERE}.
 */
public interface Condition
{
    /**
     * @throws EvaluationException when the event makes the expression fail (an overflow).
     */
    boolean test(DirectBuffer buffer, int base);

    /** @return the source text of the condition. */
    String text();
}

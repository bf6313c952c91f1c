package dev.dataforge.core.expr;

import dev.dataforge.codec.RecordLayout;
import org.agrona.DirectBuffer;

/**
 * Compiles the SQL-like condition language of {@code filter} stages against a record layout. The result is a tree
 * of small typed nodes that read fields straight from the slot: no reflection, no scripting, no code generated from
 * user text, and no allocation per event.
 * <p>
 * Language: {@code = <> != < <= > >=}, {@code [NOT] IN (...)}, {@code [NOT] BETWEEN a AND b},
 * {@code [NOT] LIKE 'pattern'} ({@code %}, {@code _}), {@code IS [NOT] NULL}, {@code AND OR NOT}, parentheses,
 * {@code + - * /}, string ({@code 'it''s'}), integer, decimal, {@code TRUE}/{@code FALSE}, {@code NULL} and
 * {@code TIMESTAMP '2026-01-01 00:00:00'} literals, and fields as {@code event.<name>}. NULLs follow SQL's
 * three-valued logic; {@code /} follows IEEE 754 as DuckDB does ({@code 1 / 0} is infinity), except that NaN
 * ({@code 0 / 0}) counts as NULL, where DuckDB orders it above every number; an overflow of exact arithmetic raises
 * {@link EvaluationException}.
 */
public final class ExpressionCompiler
{
    private ExpressionCompiler()
    {
    }

    /**
     * @throws ExpressionException with the position of the problem.
     */
    public static Condition compileCondition(final String text, final RecordLayout layout)
    {
        if (text == null)
        {
            throw new ExpressionException(0, "the condition is empty");
        }
        final Expr.Bool root = new Parser(text, layout).parseCondition();
        return new CompiledCondition(root, text);
    }

    private static final class CompiledCondition implements Condition
    {
        private final Expr.Bool root;
        private final String text;

        CompiledCondition(final Expr.Bool root, final String text)
        {
            this.root = root;
            this.text = text;
        }

        @Override
        public boolean test(final DirectBuffer buffer, final int base)
        {
            return root.eval(buffer, base) == Expr.TRUE;
        }

        @Override
        public String text()
        {
            return text;
        }

        @Override
        public String toString()
        {
            return text;
        }
    }
}

package dev.dataforge.core.expr;

/**
 * Constant folding: a subtree of literals only is evaluated once, at compile time, and replaced by its value.
 */
final class Folding
{
    private Folding()
    {
    }

    static Expr fold(final Expr e)
    {
        if (!e.constant || e instanceof Expr.BoolConst || e instanceof Expr.ExactConst || e instanceof Expr.DblConst ||
            e instanceof Expr.Str || e instanceof Expr.NullLiteral)
        {
            return e;
        }
        try
        {
            if (e instanceof Expr.Bool)
            {
                return new Expr.BoolConst(((Expr.Bool)e).eval(null, 0), e.position);
            }
            if (e instanceof Expr.Exact)
            {
                return new Expr.ExactConst(e.type, ((Expr.Exact)e).eval(null, 0), e.scale, e.position);
            }
            if (e instanceof Expr.Dbl)
            {
                return new Expr.DblConst(((Expr.Dbl)e).eval(null, 0), e.position);
            }
        }
        catch (final EvaluationException overflow)
        {
            throw new ExpressionException(e.position, "constant expression overflows");
        }
        return e;
    }
}

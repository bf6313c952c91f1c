package dev.dataforge.core.expr;

import dev.dataforge.codec.Decimals;
import dev.dataforge.codec.Field;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The type rules: which node a field, comparison, IN list or arithmetic operation compiles to, or why it cannot.
 * Exact numbers (integers, decimals) stay exact in {@code + - *} and comparisons; {@code /} and anything mixed with
 * a double is a double; strings compare with strings, timestamps with timestamps, booleans with booleans.
 */
final class Compile
{
    private Compile()
    {
    }

    static Expr field(final Field f, final int position)
    {
        switch (f.type())
        {
            case LONG:
            case DECIMAL: return new Expr.ExactField(Expr.Type.EXACT, f, position);
            case TIMESTAMP: return new Expr.ExactField(Expr.Type.TIMESTAMP, f, position);
            case DOUBLE: return new Expr.DblField(f, position);
            case BOOLEAN: return new Expr.BoolField(f, position);
            case JSON: return new Expr.JsonRef(f, "", position);
            default: return new Expr.Str(f, null, position);
        }
    }

    private static boolean numeric(final Expr e)
    {
        return e.type == Expr.Type.EXACT || e.type == Expr.Type.DOUBLE;
    }

    static Expr.Dbl asDouble(final Expr e)
    {
        return e instanceof Expr.Dbl ? (Expr.Dbl)e : new Expr.ExactAsDbl((Expr.Exact)e);
    }

    private static ExpressionException mismatch(final Expr left, final String op, final Expr right, final Token at)
    {
        return new ExpressionException(at.position(), "cannot apply " + op + " to " + left.describeType() + " and " +
            right.describeType());
    }

    /**
     * @return {@code e} typed by what it meets when it is a json path ({@link Expr.JsonRef}): a string, number or
     * boolean as {@code other} is; two paths compare as strings.
     */
    static Expr typed(final Expr e, final Expr other)
    {
        if (e.type != Expr.Type.JSON)
        {
            return e;
        }
        final Expr.JsonRef ref = (Expr.JsonRef)e;
        switch (other.type)
        {
            case STRING:
            case JSON:
            case NULL: return ref.asStr();
            case EXACT:
            case DOUBLE: return ref.asDbl();
            case BOOLEAN: return ref.asBool();
            default:
                throw new ExpressionException(e.position, "a json path compares with strings, numbers and " +
                    "booleans, not with " + other.describeType());
        }
    }

    static Expr.Bool compare(final Expr jsonLeft, final int op, final Expr jsonRight, final Token at)
    {
        final Expr left = typed(jsonLeft, jsonRight);
        final Expr right = typed(jsonRight, jsonLeft);
        if (left.type == Expr.Type.NULL || right.type == Expr.Type.NULL)
        {
            return new Expr.BoolConst(Expr.UNKNOWN, at.position());
        }
        if (left.type == Expr.Type.EXACT && right.type == Expr.Type.EXACT ||
            left.type == Expr.Type.TIMESTAMP && right.type == Expr.Type.TIMESTAMP)
        {
            return new Ops.ExactCompare((Expr.Exact)left, op, (Expr.Exact)right, at.position());
        }
        if (numeric(left) && numeric(right))
        {
            return new Ops.DoubleCompare(asDouble(left), op, asDouble(right), at.position());
        }
        if (left.type == Expr.Type.STRING && right.type == Expr.Type.STRING)
        {
            return new Ops.StringCompare((Expr.Str)left, op, (Expr.Str)right, at.position());
        }
        if (left.type == Expr.Type.BOOLEAN && right.type == Expr.Type.BOOLEAN)
        {
            return new Ops.BoolCompare((Expr.Bool)left, op, (Expr.Bool)right, at.position());
        }
        throw mismatch(left, "'" + at.text() + "'", right, at);
    }

    static Expr.Bool in(final Expr jsonLeft, final List<Expr> items, final boolean negated, final Token at)
    {
        Expr left = jsonLeft;
        for (final Expr item : items)
        {
            if (left.type == Expr.Type.JSON && item.type != Expr.Type.NULL)
            {
                left = typed(left, item);
            }
        }
        if (left.type == Expr.Type.JSON)
        {
            left = typed(left, items.get(0));
        }
        boolean hasNull = false;
        final List<Expr> values = new ArrayList<>();
        for (final Expr item : items)
        {
            if (item.type == Expr.Type.NULL)
            {
                hasNull = true;
                continue;
            }
            final boolean fits = left.type == item.type || numeric(left) && numeric(item);
            if (!fits)
            {
                throw new ExpressionException(item.position, "IN list value is " + item.describeType() + " but " +
                    "the value tested is " + left.describeType());
            }
            values.add(item);
        }
        if (left.type == Expr.Type.NULL || values.isEmpty())
        {
            return new Expr.BoolConst(Expr.UNKNOWN, at.position());
        }
        switch (left.type)
        {
            case STRING:
                return new Ops.StringIn((Expr.Str)left, values.toArray(new Expr.Str[0]), hasNull, negated,
                    at.position());
            case EXACT:
            case TIMESTAMP:
                if (values.stream().allMatch(v -> v instanceof Expr.Exact))
                {
                    int scale = left.scale;
                    for (final Expr v : values)
                    {
                        scale = Math.max(scale, v.scale);
                    }
                    final long[] sorted = new long[values.size()];
                    for (int i = 0; i < sorted.length; i++)
                    {
                        final Expr.Exact v = (Expr.Exact)values.get(i);
                        try
                        {
                            sorted[i] = Ops.rescale(v.eval(null, 0), scale - v.scale);
                        }
                        catch (final EvaluationException e)
                        {
                            throw new ExpressionException(v.position, "value out of range for this comparison");
                        }
                    }
                    Arrays.sort(sorted);
                    return new Ops.ExactIn((Expr.Exact)left, sorted, scale, hasNull, negated, at.position());
                }
                // fall through: some value is a double
            case DOUBLE:
            {
                final double[] ds = new double[values.size()];
                for (int i = 0; i < ds.length; i++)
                {
                    ds[i] = asDouble(values.get(i)).eval(null, 0);
                }
                return new Ops.DoubleIn(asDouble(left), ds, hasNull, negated, at.position());
            }
            default:
                throw new ExpressionException(at.position(), "IN works on numbers, strings and timestamps, not " +
                    left.describeType());
        }
    }

    static Expr arithmetic(final Expr jsonLeft, final char op, final Expr jsonRight, final Token at)
    {
        final Expr left = jsonLeft.type == Expr.Type.JSON ? ((Expr.JsonRef)jsonLeft).asDbl() : jsonLeft;
        final Expr right = jsonRight.type == Expr.Type.JSON ? ((Expr.JsonRef)jsonRight).asDbl() : jsonRight;
        if (left.type == Expr.Type.NULL && numeric(right) || right.type == Expr.Type.NULL && numeric(left) ||
            left.type == Expr.Type.NULL && right.type == Expr.Type.NULL)
        {
            return new Expr.ExactConst(Expr.Type.EXACT, Expr.NULL_EXACT, 0, at.position());
        }
        if (!numeric(left) || !numeric(right))
        {
            throw mismatch(left, "'" + op + "'", right, at);
        }
        if (op == '/' || left.type == Expr.Type.DOUBLE || right.type == Expr.Type.DOUBLE)
        {
            return new Ops.DoubleArithmetic(asDouble(left), op, asDouble(right), at.position());
        }
        final int scale = op == '*' ? left.scale + right.scale : Math.max(left.scale, right.scale);
        if (scale > Decimals.MAX_SCALE)
        {
            throw new ExpressionException(at.position(), "the result would have " + scale + " decimal places; " +
                "at most " + Decimals.MAX_SCALE + " are supported");
        }
        return new Ops.ExactArithmetic((Expr.Exact)left, op, (Expr.Exact)right, scale, at.position());
    }

    static Expr negate(final Expr jsonInner, final Token at)
    {
        final Expr inner = jsonInner.type == Expr.Type.JSON ? ((Expr.JsonRef)jsonInner).asDbl() : jsonInner;
        if (inner.type == Expr.Type.EXACT)
        {
            return new Ops.Negate((Expr.Exact)inner, at.position());
        }
        if (inner.type == Expr.Type.DOUBLE)
        {
            return new Ops.DoubleNegate((Expr.Dbl)inner, at.position());
        }
        if (inner.type == Expr.Type.NULL)
        {
            return inner;
        }
        throw new ExpressionException(at.position(), "cannot negate " + inner.describeType().toLowerCase(Locale.ROOT));
    }
}

package dev.dataforge.core.expr;

import dev.dataforge.codec.Decimals;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * Operator nodes of the compiled tree. Every {@code eval} is allocation-free.
 */
final class Ops
{
    static final int EQ = 0;
    static final int NE = 1;
    static final int LT = 2;
    static final int LE = 3;
    static final int GT = 4;
    static final int GE = 5;

    private Ops()
    {
    }

    static int op(final String text)
    {
        switch (text)
        {
            case "=": return EQ;
            case "<>":
            case "!=": return NE;
            case "<": return LT;
            case "<=": return LE;
            case ">": return GT;
            case ">=": return GE;
            default: return -1;
        }
    }

    /** @return TRUE or FALSE for a three-way comparison result {@code c} under {@code op}. */
    static int decide(final int op, final int c)
    {
        final boolean r;
        switch (op)
        {
            case EQ: r = c == 0; break;
            case NE: r = c != 0; break;
            case LT: r = c < 0; break;
            case LE: r = c <= 0; break;
            case GT: r = c > 0; break;
            default: r = c >= 0; break;
        }
        return r ? Expr.TRUE : Expr.FALSE;
    }

    /**
     * Compares {@code a} at scale {@code sa} with {@code b} at scale {@code sb} exactly, even when bringing one to
     * the other's scale would overflow.
     */
    static int compareScaled(final long a, final int sa, final long b, final int sb)
    {
        if (sa == sb)
        {
            return Long.compare(a, b);
        }
        if (sa < sb)
        {
            final long f = Decimals.powerOfTen(sb - sa);
            final long hi = Math.multiplyHigh(a, f);
            final long lo = a * f;
            if (hi != (lo >> 63))
            {
                return a > 0 ? 1 : -1;
            }
            return Long.compare(lo, b);
        }
        return -compareScaled(b, sb, a, sa);
    }

    /** @return {@code v * 10^by}, or throws on overflow. */
    static long rescale(final long v, final int by)
    {
        if (by == 0)
        {
            return v;
        }
        final long f = Decimals.powerOfTen(by);
        final long hi = Math.multiplyHigh(v, f);
        final long lo = v * f;
        if (hi != (lo >> 63) || lo == Expr.NULL_EXACT)
        {
            throw EvaluationException.OVERFLOW;
        }
        return lo;
    }

    // ------------------------------------------------------------------ logic

    static final class And extends Expr.Bool
    {
        final Expr.Bool left;
        final Expr.Bool right;

        And(final Expr.Bool left, final Expr.Bool right, final int position)
        {
            super(position, left.constant && right.constant);
            this.left = left;
            this.right = right;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            final int l = left.eval(b, base);
            if (l == FALSE)
            {
                return FALSE;
            }
            final int r = right.eval(b, base);
            if (r == FALSE)
            {
                return FALSE;
            }
            return l == TRUE && r == TRUE ? TRUE : UNKNOWN;
        }
    }

    static final class Or extends Expr.Bool
    {
        final Expr.Bool left;
        final Expr.Bool right;

        Or(final Expr.Bool left, final Expr.Bool right, final int position)
        {
            super(position, left.constant && right.constant);
            this.left = left;
            this.right = right;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            final int l = left.eval(b, base);
            if (l == TRUE)
            {
                return TRUE;
            }
            final int r = right.eval(b, base);
            if (r == TRUE)
            {
                return TRUE;
            }
            return l == FALSE && r == FALSE ? FALSE : UNKNOWN;
        }
    }

    static final class Not extends Expr.Bool
    {
        final Expr.Bool inner;

        Not(final Expr.Bool inner, final int position)
        {
            super(position, inner.constant);
            this.inner = inner;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            final int v = inner.eval(b, base);
            return v == UNKNOWN ? UNKNOWN : 1 - v;
        }
    }

    /** {@code x IS [NOT] NULL} for any kind of x. */
    static final class IsNull extends Expr.Bool
    {
        final Expr inner;
        final boolean negated;

        IsNull(final Expr inner, final boolean negated, final int position)
        {
            super(position, inner.constant);
            this.inner = inner;
            this.negated = negated;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            final boolean isNull;
            if (inner instanceof Expr.Exact)
            {
                isNull = ((Expr.Exact)inner).eval(b, base) == NULL_EXACT;
            }
            else if (inner instanceof Expr.Dbl)
            {
                isNull = Double.isNaN(((Expr.Dbl)inner).eval(b, base));
            }
            else if (inner instanceof Expr.Bool)
            {
                isNull = ((Expr.Bool)inner).eval(b, base) == UNKNOWN;
            }
            else if (inner instanceof Expr.Str)
            {
                isNull = ((Expr.Str)inner).isNull(b, base);
            }
            else
            {
                isNull = true;
            }
            return isNull != negated ? TRUE : FALSE;
        }
    }

    // ------------------------------------------------------------------ comparisons

    static final class ExactCompare extends Expr.Bool
    {
        final Expr.Exact left;
        final Expr.Exact right;
        final int op;

        ExactCompare(final Expr.Exact left, final int op, final Expr.Exact right, final int position)
        {
            super(position, left.constant && right.constant);
            this.left = left;
            this.right = right;
            this.op = op;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            final long l = left.eval(b, base);
            if (l == NULL_EXACT)
            {
                return UNKNOWN;
            }
            final long r = right.eval(b, base);
            if (r == NULL_EXACT)
            {
                return UNKNOWN;
            }
            return decide(op, compareScaled(l, left.scale, r, right.scale));
        }
    }

    static final class DoubleCompare extends Expr.Bool
    {
        final Expr.Dbl left;
        final Expr.Dbl right;
        final int op;

        DoubleCompare(final Expr.Dbl left, final int op, final Expr.Dbl right, final int position)
        {
            super(position, left.constant && right.constant);
            this.left = left;
            this.right = right;
            this.op = op;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            final double l = left.eval(b, base);
            final double r = right.eval(b, base);
            if (Double.isNaN(l) || Double.isNaN(r))
            {
                return UNKNOWN;
            }
            return decide(op, Double.compare(l == 0.0 ? 0.0 : l, r == 0.0 ? 0.0 : r));
        }
    }

    static final class BoolCompare extends Expr.Bool
    {
        final Expr.Bool left;
        final Expr.Bool right;
        final int op;

        BoolCompare(final Expr.Bool left, final int op, final Expr.Bool right, final int position)
        {
            super(position, left.constant && right.constant);
            this.left = left;
            this.right = right;
            this.op = op;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            final int l = left.eval(b, base);
            final int r = right.eval(b, base);
            return l == UNKNOWN || r == UNKNOWN ? UNKNOWN : decide(op, Integer.compare(l, r));
        }
    }

    /** Byte-wise (UTF-8 code point order) string comparison, as DuckDB compares VARCHAR. */
    static final class StringCompare extends Expr.Bool
    {
        final Expr.Str left;
        final Expr.Str right;
        final int op;

        StringCompare(final Expr.Str left, final int op, final Expr.Str right, final int position)
        {
            super(position, left.constant && right.constant);
            this.left = left;
            this.right = right;
            this.op = op;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            if (left.isNull(b, base) || right.isNull(b, base))
            {
                return UNKNOWN;
            }
            if (op == EQ || op == NE)
            {
                final boolean equal = Strings.equal(b, base, left, right);
                return equal == (op == EQ) ? TRUE : FALSE;
            }
            return decide(op, Strings.compare(b, base, left, right));
        }
    }

    // ------------------------------------------------------------------ IN

    /** SQL {@code IN}: a match is TRUE; no match is FALSE, or UNKNOWN when the list holds a NULL; NOT flips. */
    static int inResult(final boolean found, final boolean listHasNull, final boolean negated)
    {
        if (found)
        {
            return negated ? Expr.FALSE : Expr.TRUE;
        }
        return listHasNull ? Expr.UNKNOWN : negated ? Expr.TRUE : Expr.FALSE;
    }

    static final class ExactIn extends Expr.Bool
    {
        final Expr.Exact left;
        final long[] sorted;
        final int scale;
        final boolean listHasNull;
        final boolean negated;

        ExactIn(final Expr.Exact left, final long[] sorted, final int scale, final boolean listHasNull,
            final boolean negated, final int position)
        {
            super(position, left.constant);
            this.left = left;
            this.sorted = sorted;
            this.scale = scale;
            this.listHasNull = listHasNull;
            this.negated = negated;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            final long v = left.eval(b, base);
            if (v == NULL_EXACT)
            {
                return UNKNOWN;
            }
            boolean found;
            try
            {
                found = Arrays.binarySearch(sorted, rescale(v, scale - left.scale)) >= 0;
            }
            catch (final EvaluationException overflow)
            {
                found = false;
            }
            return inResult(found, listHasNull, negated);
        }
    }

    static final class DoubleIn extends Expr.Bool
    {
        final Expr.Dbl left;
        final double[] values;
        final boolean listHasNull;
        final boolean negated;

        DoubleIn(final Expr.Dbl left, final double[] values, final boolean listHasNull, final boolean negated,
            final int position)
        {
            super(position, left.constant);
            this.left = left;
            this.values = values;
            this.listHasNull = listHasNull;
            this.negated = negated;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            final double v = left.eval(b, base);
            if (Double.isNaN(v))
            {
                return UNKNOWN;
            }
            boolean found = false;
            for (int i = 0; i < values.length && !found; i++)
            {
                found = values[i] == v;
            }
            return inResult(found, listHasNull, negated);
        }
    }

    static final class StringIn extends Expr.Bool
    {
        final Expr.Str left;
        final Expr.Str[] values;
        final boolean listHasNull;
        final boolean negated;

        StringIn(final Expr.Str left, final Expr.Str[] values, final boolean listHasNull, final boolean negated,
            final int position)
        {
            super(position, left.constant);
            this.left = left;
            this.values = values;
            this.listHasNull = listHasNull;
            this.negated = negated;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            if (left.isNull(b, base))
            {
                return UNKNOWN;
            }
            boolean found = false;
            for (int i = 0; i < values.length && !found; i++)
            {
                found = Strings.equal(b, base, left, values[i]);
            }
            return inResult(found, listHasNull, negated);
        }
    }

    // ------------------------------------------------------------------ LIKE

    static final class Like extends Expr.Bool
    {
        final Expr.Str left;
        final byte[] pattern;
        final boolean negated;

        Like(final Expr.Str left, final byte[] pattern, final boolean negated, final int position)
        {
            super(position, left.constant);
            this.left = left;
            this.pattern = pattern;
            this.negated = negated;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            if (left.isNull(b, base))
            {
                return UNKNOWN;
            }
            left.view(b, base);
            final boolean match = LikeMatcher.matches(left.source, left.at, left.length, pattern);
            return match != negated ? TRUE : FALSE;
        }
    }

    // ------------------------------------------------------------------ arithmetic

    static final class ExactArithmetic extends Expr.Exact
    {
        final Expr.Exact left;
        final Expr.Exact right;
        final char op;

        ExactArithmetic(final Expr.Exact left, final char op, final Expr.Exact right, final int scale,
            final int position)
        {
            super(Expr.Type.EXACT, scale, position, left.constant && right.constant);
            this.left = left;
            this.right = right;
            this.op = op;
        }

        @Override
        long eval(final DirectBuffer b, final int base)
        {
            final long l = left.eval(b, base);
            if (l == NULL_EXACT)
            {
                return NULL_EXACT;
            }
            final long r = right.eval(b, base);
            if (r == NULL_EXACT)
            {
                return NULL_EXACT;
            }
            final long result;
            try
            {
                switch (op)
                {
                    case '+':
                        result = Math.addExact(rescale(l, scale - left.scale), rescale(r, scale - right.scale));
                        break;
                    case '-':
                        result = Math.subtractExact(rescale(l, scale - left.scale), rescale(r, scale - right.scale));
                        break;
                    default:
                        result = Math.multiplyExact(l, r);
                        break;
                }
            }
            catch (final ArithmeticException e)
            {
                throw EvaluationException.OVERFLOW;
            }
            if (result == NULL_EXACT)
            {
                throw EvaluationException.OVERFLOW;
            }
            return result;
        }
    }

    static final class Negate extends Expr.Exact
    {
        final Expr.Exact inner;

        Negate(final Expr.Exact inner, final int position)
        {
            super(Expr.Type.EXACT, inner.scale, position, inner.constant);
            this.inner = inner;
        }

        @Override
        long eval(final DirectBuffer b, final int base)
        {
            final long v = inner.eval(b, base);
            return v == NULL_EXACT ? NULL_EXACT : -v;
        }
    }

    static final class DoubleArithmetic extends Expr.Dbl
    {
        final Expr.Dbl left;
        final Expr.Dbl right;
        final char op;

        DoubleArithmetic(final Expr.Dbl left, final char op, final Expr.Dbl right, final int position)
        {
            super(position, left.constant && right.constant);
            this.left = left;
            this.right = right;
            this.op = op;
        }

        @Override
        double eval(final DirectBuffer b, final int base)
        {
            final double l = left.eval(b, base);
            final double r = right.eval(b, base);
            switch (op)
            {
                case '+': return l + r;
                case '-': return l - r;
                case '*': return l * r;
                default: return l / r;
            }
        }
    }

    static final class DoubleNegate extends Expr.Dbl
    {
        final Expr.Dbl inner;

        DoubleNegate(final Expr.Dbl inner, final int position)
        {
            super(position, inner.constant);
            this.inner = inner;
        }

        @Override
        double eval(final DirectBuffer b, final int base)
        {
            return -inner.eval(b, base);
        }
    }
}

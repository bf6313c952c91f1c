package dev.dataforge.core.expr;

import dev.dataforge.codec.Decimals;
import dev.dataforge.codec.Field;
import org.agrona.DirectBuffer;

import java.util.Locale;

/**
 * The compiled expression tree: small final node classes, specialised by type, that read the slot directly.
 * Booleans evaluate to {@link #TRUE}, {@link #FALSE} or {@link #UNKNOWN} (SQL's NULL); exact numbers (integers,
 * decimals as scaled longs, timestamps in micros) use {@link #NULL_EXACT} for NULL; doubles use NaN.
 */
abstract class Expr
{
    static final int TRUE = 1;
    static final int FALSE = 0;
    static final int UNKNOWN = -1;
    static final long NULL_EXACT = Long.MIN_VALUE;

    enum Type
    {
        BOOLEAN, EXACT, DOUBLE, STRING, TIMESTAMP, NULL;

        String describe(final int scale)
        {
            switch (this)
            {
                case EXACT: return scale == 0 ? "integer" : "decimal(" + scale + ")";
                case NULL: return "NULL";
                default: return name().toLowerCase(Locale.ROOT);
            }
        }
    }

    final Type type;
    final int scale;
    final int position;
    final boolean constant;

    Expr(final Type type, final int scale, final int position, final boolean constant)
    {
        this.type = type;
        this.scale = scale;
        this.position = position;
        this.constant = constant;
    }

    String describeType()
    {
        return type.describe(scale);
    }

    // ------------------------------------------------------------------ kinds

    abstract static class Bool extends Expr
    {
        Bool(final int position, final boolean constant)
        {
            super(Type.BOOLEAN, 0, position, constant);
        }

        abstract int eval(DirectBuffer b, int base);
    }

    /** Integers, decimals (scaled) and timestamps (micros). */
    abstract static class Exact extends Expr
    {
        Exact(final Type type, final int scale, final int position, final boolean constant)
        {
            super(type, scale, position, constant);
        }

        abstract long eval(DirectBuffer b, int base);
    }

    abstract static class Dbl extends Expr
    {
        Dbl(final int position, final boolean constant)
        {
            super(Type.DOUBLE, 0, position, constant);
        }

        abstract double eval(DirectBuffer b, int base);
    }

    /** A string is a field's bytes in the slot or a literal's UTF-8 bytes. */
    static final class Str extends Expr
    {
        final Field field;
        final byte[] literal;

        Str(final Field field, final byte[] literal, final int position)
        {
            super(Type.STRING, 0, position, field == null);
            this.field = field;
            this.literal = literal;
        }
    }

    static final class NullLiteral extends Expr
    {
        NullLiteral(final int position)
        {
            super(Type.NULL, 0, position, true);
        }
    }

    // ------------------------------------------------------------------ leaves

    static final class BoolConst extends Bool
    {
        final int value;

        BoolConst(final int value, final int position)
        {
            super(position, true);
            this.value = value;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            return value;
        }
    }

    static final class BoolField extends Bool
    {
        final Field field;

        BoolField(final Field field, final int position)
        {
            super(position, false);
            this.field = field;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            return field.isNull(b, base) ? UNKNOWN : field.getBoolean(b, base) ? TRUE : FALSE;
        }
    }

    static final class ExactConst extends Exact
    {
        final long value;

        ExactConst(final Type type, final long value, final int scale, final int position)
        {
            super(type, scale, position, true);
            this.value = value;
        }

        @Override
        long eval(final DirectBuffer b, final int base)
        {
            return value;
        }
    }

    static final class ExactField extends Exact
    {
        final Field field;

        ExactField(final Type type, final Field field, final int position)
        {
            super(type, field.scale(), position, false);
            this.field = field;
        }

        @Override
        long eval(final DirectBuffer b, final int base)
        {
            return field.isNull(b, base) ? NULL_EXACT : field.getLong(b, base);
        }
    }

    static final class DblConst extends Dbl
    {
        final double value;

        DblConst(final double value, final int position)
        {
            super(position, true);
            this.value = value;
        }

        @Override
        double eval(final DirectBuffer b, final int base)
        {
            return value;
        }
    }

    static final class DblField extends Dbl
    {
        final Field field;

        DblField(final Field field, final int position)
        {
            super(position, false);
            this.field = field;
        }

        @Override
        double eval(final DirectBuffer b, final int base)
        {
            return field.getDouble(b, base);
        }
    }

    /** Any exact expression seen as a double (for mixed comparisons and division). */
    static final class ExactAsDbl extends Dbl
    {
        final Exact inner;
        final double unit;

        ExactAsDbl(final Exact inner)
        {
            super(inner.position, inner.constant);
            this.inner = inner;
            this.unit = Decimals.powerOfTenDouble(inner.scale);
        }

        @Override
        double eval(final DirectBuffer b, final int base)
        {
            final long v = inner.eval(b, base);
            return v == NULL_EXACT ? Double.NaN : v / unit;
        }
    }
}

package dev.dataforge.core.expr;

import dev.dataforge.codec.Decimals;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.JsonPath;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

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
        BOOLEAN, EXACT, DOUBLE, STRING, TIMESTAMP, NULL,
        /** A path into a json field: its type is the other operand's (see {@link JsonRef}). */
        JSON;

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

    /**
     * A string is a field's bytes in the slot, a literal's UTF-8 bytes, or the value at a path in a json field. Each
     * evaluation asks {@link #isNull} first, then reads the value through {@link #view}: for a path, {@code isNull}
     * finds the value and {@code view} reads what it found (a string's escapes decoded into a buffer of the node's
     * own; the text of a number, boolean, object or array as it is in the record).
     */
    static final class Str extends Expr
    {
        final Field field;
        final byte[] literal;
        final JsonPath path;
        private final UnsafeBuffer literalBuffer;
        private byte[] decoded;
        private UnsafeBuffer decodedBuffer;
        /** The value {@link #view} gives: in {@link #source}, {@link #at}, {@link #length} bytes. */
        DirectBuffer source;
        int at;
        int length;

        Str(final Field field, final byte[] literal, final int position)
        {
            this(field, literal, null, position);
        }

        Str(final Field field, final byte[] literal, final JsonPath path, final int position)
        {
            super(Type.STRING, 0, position, field == null);
            this.field = field;
            this.literal = literal;
            this.path = path;
            this.literalBuffer = literal == null ? null : new UnsafeBuffer(literal);
        }

        /** @return true for a field's own bytes (no path): the fast comparisons apply. */
        boolean plain()
        {
            return field != null && path == null;
        }

        boolean isNull(final DirectBuffer b, final int base)
        {
            if (field == null)
            {
                return false;
            }
            if (field.isNull(b, base))
            {
                return true;
            }
            if (path == null)
            {
                return false;
            }
            final int kind = path.find(b, field.stringStart(b, base), field.stringLength(b, base));
            if (kind == JsonPath.MISSING || kind == JsonPath.NULL)
            {
                return true;
            }
            source = b;
            at = path.valueStart();
            length = path.valueEnd() - at;
            if (kind == JsonPath.STRING && path.hasEscapes())
            {
                if (decoded == null || decoded.length < length)
                {
                    decoded = new byte[Math.max(64, length)]; // decoded is never longer than the escaped text
                    decodedBuffer = new UnsafeBuffer(decoded);
                }
                length = path.decodeString(b, decoded);
                source = decodedBuffer;
                at = 0;
            }
            return false;
        }

        /** Sets {@link #source}, {@link #at} and {@link #length} to the value (not NULL: {@link #isNull} said). */
        void view(final DirectBuffer b, final int base)
        {
            if (literal != null)
            {
                source = literalBuffer;
                at = 0;
                length = literal.length;
            }
            else if (path == null)
            {
                source = b;
                at = field.stringStart(b, base);
                length = field.stringLength(b, base);
            }
        }
    }

    /**
     * A path into a json field ({@code event.repository.owner.login}, {@code event.labels[0].name}), resolved when
     * the condition compiles. Its type comes from what it is compared with: a string ({@link #asStr}), a number
     * ({@link #asDbl}) or a boolean ({@link #asBool}); a value of another JSON kind, or none at the path, is NULL,
     * as DuckDB's {@code TRY_CAST} of {@code json_extract} would make it. Compared with a string, a number, boolean,
     * object or array is its JSON text.
     */
    static final class JsonRef extends Expr
    {
        final Field field;
        final String pathText;

        JsonRef(final Field field, final String pathText, final int position)
        {
            super(Type.JSON, 0, position, false);
            this.field = field;
            this.pathText = pathText;
            JsonPath.parse(pathText); // refuses a bad path now, at its position (the caller reports it)
        }

        Str asStr()
        {
            return new Str(field, null, JsonPath.parse(pathText), position);
        }

        Dbl asDbl()
        {
            return new JsonDbl(field, JsonPath.parse(pathText), position);
        }

        Bool asBool()
        {
            return new JsonBool(field, JsonPath.parse(pathText), position);
        }

        @Override
        String describeType()
        {
            return "json";
        }
    }

    static final class JsonDbl extends Dbl
    {
        final Field field;
        final JsonPath path;

        JsonDbl(final Field field, final JsonPath path, final int position)
        {
            super(position, false);
            this.field = field;
            this.path = path;
        }

        @Override
        double eval(final DirectBuffer b, final int base)
        {
            if (field.isNull(b, base) ||
                path.find(b, field.stringStart(b, base), field.stringLength(b, base)) != JsonPath.NUMBER)
            {
                return Double.NaN;
            }
            return path.doubleValue();
        }
    }

    static final class JsonBool extends Bool
    {
        final Field field;
        final JsonPath path;

        JsonBool(final Field field, final JsonPath path, final int position)
        {
            super(position, false);
            this.field = field;
            this.path = path;
        }

        @Override
        int eval(final DirectBuffer b, final int base)
        {
            if (field.isNull(b, base))
            {
                return UNKNOWN;
            }
            final int kind = path.find(b, field.stringStart(b, base), field.stringLength(b, base));
            return kind == JsonPath.TRUE ? TRUE : kind == JsonPath.FALSE ? FALSE : UNKNOWN;
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

package dev.dataforge.core.expr;

import dev.dataforge.codec.Decimals;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;
import dev.dataforge.codec.Names;
import dev.dataforge.codec.RecordLayout;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive-descent parser that type-checks as it goes and builds the compiled tree directly. Precedence, lowest
 * first: OR, AND, NOT, comparison / IN / BETWEEN / LIKE / IS, {@code + -}, {@code * /}, unary minus.
 */
final class Parser
{
    static final String PREFIX = "event.";
    private static final int MAX_DEPTH = 200;

    private final List<Token> tokens;
    private final RecordLayout layout;
    private int next;
    private int depth;

    Parser(final String text, final RecordLayout layout)
    {
        this.tokens = Lexer.tokens(text);
        this.layout = layout;
    }

    Expr.Bool parseCondition()
    {
        final Token first = peek();
        if (first.is(Token.Kind.END))
        {
            throw new ExpressionException(0, "the condition is empty");
        }
        final Expr e = or();
        if (!peek().is(Token.Kind.END))
        {
            throw new ExpressionException(peek().position(), "unexpected " + peek().describe() +
                " (expected AND, OR or the end)");
        }
        if (!(e instanceof Expr.Bool))
        {
            throw new ExpressionException(first.position(), "the condition must be true or false, but this is " +
                article(e) + " (compare it: = <> < > IN BETWEEN LIKE IS NULL)");
        }
        return (Expr.Bool)e;
    }

    private Token peek()
    {
        return tokens.get(next);
    }

    private Token take()
    {
        return tokens.get(next++);
    }

    private boolean accept(final String keyword)
    {
        if (peek().is(keyword))
        {
            next++;
            return true;
        }
        return false;
    }

    private Token expect(final Token.Kind kind, final String what)
    {
        final Token t = peek();
        if (!t.is(kind))
        {
            throw new ExpressionException(t.position(), "expected " + what + " but found " + t.describe());
        }
        return take();
    }

    private static String article(final Expr e)
    {
        final String t = e.describeType();
        return (t.startsWith("i") ? "an " : "a ") + t;
    }

    // ------------------------------------------------------------------ logic

    private Expr or()
    {
        Expr left = and();
        while (peek().is("OR"))
        {
            final Token op = take();
            left = new Ops.Or(bool(left, op), bool(and(), op), op.position());
            left = Folding.fold(left);
        }
        return left;
    }

    private Expr and()
    {
        Expr left = not();
        while (peek().is("AND"))
        {
            final Token op = take();
            left = new Ops.And(bool(left, op), bool(not(), op), op.position());
            left = Folding.fold(left);
        }
        return left;
    }

    private Expr not()
    {
        if (peek().is("NOT"))
        {
            final Token op = take();
            enter(op);
            final Expr inner = not();
            depth--;
            return Folding.fold(new Ops.Not(bool(inner, op), op.position()));
        }
        return predicate();
    }

    private Expr.Bool bool(final Expr e, final Token op)
    {
        if (e instanceof Expr.JsonRef)
        {
            return ((Expr.JsonRef)e).asBool();
        }
        if (e instanceof Expr.Bool)
        {
            return (Expr.Bool)e;
        }
        if (e instanceof Expr.NullLiteral)
        {
            return new Expr.BoolConst(Expr.UNKNOWN, e.position);
        }
        throw new ExpressionException(e.position, op.text().toUpperCase(Locale.ROOT) +
            " needs true or false on both sides, but this is " + article(e));
    }

    private void enter(final Token at)
    {
        if (++depth > MAX_DEPTH)
        {
            throw new ExpressionException(at.position(), "expression nested more than " + MAX_DEPTH + " deep");
        }
    }

    // ------------------------------------------------------------------ predicates

    private Expr predicate()
    {
        final Expr left = additive();
        final Token t = peek();
        final int op = t.is(Token.Kind.OPERATOR) ? Ops.op(t.text()) : -1;
        if (op >= 0)
        {
            take();
            return Folding.fold(Compile.compare(left, op, additive(), t));
        }
        if (t.is("IS"))
        {
            take();
            final boolean negated = accept("NOT");
            final Token n = peek();
            if (!n.is("NULL"))
            {
                throw new ExpressionException(n.position(), "expected NULL after IS" + (negated ? " NOT" : "") +
                    " but found " + n.describe());
            }
            take();
            return Folding.fold(new Ops.IsNull(left instanceof Expr.JsonRef ? ((Expr.JsonRef)left).asStr() : left,
                negated, t.position()));
        }
        boolean negated = false;
        if (t.is("NOT") && (tokens.get(next + 1).is("IN") || tokens.get(next + 1).is("BETWEEN") ||
            tokens.get(next + 1).is("LIKE")))
        {
            take();
            negated = true;
        }
        final Token k = peek();
        if (k.is("IN"))
        {
            take();
            return Folding.fold(Compile.in(left, list(k), negated, k));
        }
        if (k.is("BETWEEN"))
        {
            take();
            final Expr low = additive();
            final Token and = peek();
            if (!and.is("AND"))
            {
                throw new ExpressionException(and.position(), "expected AND in BETWEEN ... AND ... but found " +
                    and.describe());
            }
            take();
            final Expr high = additive();
            final Expr.Bool range = new Ops.And(Compile.compare(left, Ops.GE, low, k),
                Compile.compare(left, Ops.LE, high, k), k.position());
            return Folding.fold(negated ? new Ops.Not(range, k.position()) : range);
        }
        if (k.is("LIKE"))
        {
            take();
            final Token pattern = peek();
            if (!pattern.is(Token.Kind.STRING))
            {
                throw new ExpressionException(pattern.position(), "LIKE needs a pattern in quotes, such as '/home%'," +
                    " but found " + pattern.describe());
            }
            take();
            if (left instanceof Expr.JsonRef)
            {
                return Folding.fold(new Ops.Like(((Expr.JsonRef)left).asStr(),
                    pattern.text().getBytes(StandardCharsets.UTF_8), negated, k.position()));
            }
            if (!(left instanceof Expr.Str))
            {
                throw new ExpressionException(left.position, "LIKE works on strings, but this is " + article(left));
            }
            return Folding.fold(new Ops.Like((Expr.Str)left, pattern.text().getBytes(StandardCharsets.UTF_8),
                negated, k.position()));
        }
        if (negated)
        {
            throw new ExpressionException(t.position(), "expected IN, BETWEEN or LIKE after NOT");
        }
        return left;
    }

    private List<Expr> list(final Token in)
    {
        expect(Token.Kind.LPAREN, "'(' after IN");
        final List<Expr> items = new ArrayList<>();
        if (peek().is(Token.Kind.RPAREN))
        {
            throw new ExpressionException(peek().position(), "IN needs at least one value");
        }
        while (true)
        {
            final Expr item = Folding.fold(additive());
            if (!item.constant)
            {
                throw new ExpressionException(item.position, "IN lists hold values (literals), not fields");
            }
            items.add(item);
            final Token t = take();
            if (t.is(Token.Kind.RPAREN))
            {
                return items;
            }
            if (!t.is(Token.Kind.COMMA))
            {
                throw new ExpressionException(t.position(), "expected ',' or ')' in the IN list but found " +
                    t.describe());
            }
        }
    }

    // ------------------------------------------------------------------ arithmetic

    private Expr additive()
    {
        Expr left = multiplicative();
        while (peek().is("+") || peek().is("-"))
        {
            final Token op = take();
            left = Folding.fold(Compile.arithmetic(left, op.text().charAt(0), multiplicative(), op));
        }
        return left;
    }

    private Expr multiplicative()
    {
        Expr left = unary();
        while (peek().is("*") || peek().is("/"))
        {
            final Token op = take();
            left = Folding.fold(Compile.arithmetic(left, op.text().charAt(0), unary(), op));
        }
        return left;
    }

    private Expr unary()
    {
        if (peek().is("-"))
        {
            final Token op = take();
            enter(op);
            final Expr inner = unary();
            depth--;
            return Folding.fold(Compile.negate(inner, op));
        }
        if (peek().is("+"))
        {
            take();
            return unary();
        }
        return primary();
    }

    private Expr primary()
    {
        final Token t = take();
        switch (t.kind())
        {
            case LPAREN:
            {
                enter(t);
                final Expr inner = or();
                depth--;
                expect(Token.Kind.RPAREN, "')'");
                return inner;
            }
            case STRING:
                return new Expr.Str(null, t.text().getBytes(StandardCharsets.UTF_8), t.position());
            case INTEGER:
                try
                {
                    return new Expr.ExactConst(Expr.Type.EXACT, Long.parseLong(t.text()), 0, t.position());
                }
                catch (final NumberFormatException e)
                {
                    throw new ExpressionException(t.position(), "integer " + t.text() + " is out of range " +
                        "(at most " + Long.MAX_VALUE + ")");
                }
            case DECIMAL:
                return decimal(t);
            case IDENT:
                return identifier(t);
            case END:
                throw new ExpressionException(t.position(), "the expression ends too early: a value is missing");
            default:
                throw new ExpressionException(t.position(), "expected a value, a field or '(' but found " +
                    t.describe());
        }
    }

    private static Expr decimal(final Token t)
    {
        final BigDecimal d = new BigDecimal(t.text());
        if (d.scale() > Decimals.MAX_SCALE || d.precision() > 18)
        {
            return new Expr.DblConst(d.doubleValue(), t.position());
        }
        return new Expr.ExactConst(Expr.Type.EXACT, d.unscaledValue().longValueExact(), d.scale(), t.position());
    }

    private Expr identifier(final Token t)
    {
        final String word = t.text();
        if (word.equalsIgnoreCase("TRUE") || word.equalsIgnoreCase("FALSE"))
        {
            return new Expr.BoolConst(word.equalsIgnoreCase("TRUE") ? Expr.TRUE : Expr.FALSE, t.position());
        }
        if (word.equalsIgnoreCase("NULL"))
        {
            return new Expr.NullLiteral(t.position());
        }
        if (word.equalsIgnoreCase("TIMESTAMP") && peek().is(Token.Kind.STRING))
        {
            return timestamp(take());
        }
        if (isKeyword(word))
        {
            throw new ExpressionException(t.position(), "expected a value or a field but found " + t.describe());
        }
        if (!word.startsWith(PREFIX))
        {
            throw new ExpressionException(t.position(), "unknown name '" + word + "': fields are written as " +
                PREFIX + "<name>" + (layout.field(word) != null ? ", e.g. " + PREFIX + word :
                Names.didYouMean(word, prefixed())));
        }
        final String name = word.substring(PREFIX.length());
        final Field field = layout.field(name);
        final int pathAt = field == null ? layout.pathStart(name) : -1;
        if (pathAt > 0)
        {
            return path(t, name.substring(0, pathAt), name.substring(pathAt));
        }
        if (field == null)
        {
            throw new ExpressionException(t.position() + PREFIX.length(), "unknown field '" + name + "'" +
                Names.didYouMean(name, layout.fieldNames()) + " (fields: " + String.join(", ", layout.fieldNames()) +
                ")");
        }
        return Compile.field(field, t.position());
    }

    /** {@code event.<json field><path>}: a path into a json field, resolved now. */
    private Expr path(final Token t, final String fieldName, final String pathText)
    {
        final Field field = layout.field(fieldName);
        final int at = t.position() + PREFIX.length() + fieldName.length();
        if (field.type() != FieldType.JSON)
        {
            throw new ExpressionException(at, "field '" + fieldName + "' is " + field.typeDescription() +
                ", not json: it has no path '" + pathText + "'");
        }
        try
        {
            return new Expr.JsonRef(field, pathText, t.position());
        }
        catch (final IllegalArgumentException e)
        {
            throw new ExpressionException(at, "bad path '" + pathText + "' in field '" + fieldName + "': " +
                e.getMessage());
        }
    }

    private List<String> prefixed()
    {
        final List<String> out = new ArrayList<>();
        for (final String n : layout.fieldNames())
        {
            out.add(PREFIX + n);
        }
        return out;
    }

    private static boolean isKeyword(final String word)
    {
        switch (word.toUpperCase(Locale.ROOT))
        {
            case "AND": case "OR": case "NOT": case "IN": case "BETWEEN": case "LIKE": case "IS":
                return true;
            default:
                return false;
        }
    }

    private static Expr timestamp(final Token t)
    {
        final String s = t.text().trim();
        try
        {
            final LocalDateTime time = s.length() <= 10 ? LocalDate.parse(s).atStartOfDay() :
                LocalDateTime.parse(s.replace(' ', 'T'));
            final long micros = time.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + time.getNano() / 1000;
            return new Expr.ExactConst(Expr.Type.TIMESTAMP, micros, 0, t.position());
        }
        catch (final DateTimeParseException e)
        {
            throw new ExpressionException(t.position(), "bad TIMESTAMP '" + s + "': write 'YYYY-MM-DD' or " +
                "'YYYY-MM-DD hh:mm:ss[.ffffff]' (UTC)");
        }
    }
}

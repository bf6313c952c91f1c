package dev.dataforge.codec;

import org.xml.sax.InputSource;
import uk.co.real_logic.sbe.PrimitiveType;
import uk.co.real_logic.sbe.ir.Encoding;
import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.ir.Signal;
import uk.co.real_logic.sbe.ir.Token;
import uk.co.real_logic.sbe.xml.IrGenerator;
import uk.co.real_logic.sbe.xml.MessageSchema;
import uk.co.real_logic.sbe.xml.ParserOptions;
import uk.co.real_logic.sbe.xml.XmlSchemaParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a {@link RecordLayout} from an SBE schema's IR: once, at load time, each field's offset, width and
 * logical type.
 * <p>
 * Mapping: integer primitives are LONG; float/double are DOUBLE; a composite of an int64 {@code mantissa} and a
 * constant {@code exponent} is DECIMAL with scale {@code -exponent}; int64 with semantic type UTCTimestamp is
 * TIMESTAMP; {@code char} arrays are STRING; a field named {@code enrichment} of uint8 bytes is the enrichment
 * region. A field of any other shape is rejected with its name.
 */
public final class SbeLayouts
{
    /** The built-in schema on the class path. */
    public static final String BUILT_IN_SCHEMA = "/sbe/dataforge-events.xml";
    public static final String ENRICHMENT_FIELD = "enrichment";

    private static volatile RecordLayout userEvent;

    private SbeLayouts()
    {
    }

    /** @return the layout of the built-in UserEvent message (parsed once, then shared; layouts are immutable). */
    public static RecordLayout userEvent()
    {
        RecordLayout layout = userEvent;
        if (layout == null)
        {
            layout = fromResource(BUILT_IN_SCHEMA, "UserEvent");
            userEvent = layout;
        }
        return layout;
    }

    public static RecordLayout fromResource(final String resource, final String messageName)
    {
        try (InputStream in = SbeLayouts.class.getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("schema resource not found: " + resource);
            }
            return fromSchema(in, messageName);
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot read schema " + resource + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param file an SBE XML schema.
     * @param messageName the message whose layout to use; null for the schema's first message.
     */
    public static RecordLayout fromFile(final Path file, final String messageName)
        throws IOException
    {
        try (InputStream in = Files.newInputStream(file))
        {
            return fromSchema(in, messageName);
        }
    }

    /** @param messageName the message whose layout to use; null for the schema's first message. */
    public static RecordLayout fromSchema(final InputStream xml, final String messageName)
    {
        final Ir ir;
        try
        {
            final MessageSchema schema = XmlSchemaParser.parse(new InputSource(xml),
                ParserOptions.builder().stopOnError(true).suppressOutput(true).build());
            ir = new IrGenerator().generate(schema);
        }
        catch (final Exception e)
        {
            throw new IllegalArgumentException("invalid SBE schema: " + e.getMessage(), e);
        }
        for (final List<Token> message : ir.messages())
        {
            final Token begin = message.get(0);
            if (messageName == null || begin.name().equals(messageName))
            {
                return fromMessage(ir, message);
            }
        }
        throw new IllegalArgumentException("no message '" + messageName + "' in schema " + ir.packageName());
    }

    private static RecordLayout fromMessage(final Ir ir, final List<Token> tokens)
    {
        final Token begin = tokens.get(0);
        final int headerLength = ir.headerStructure().tokens().get(0).encodedLength();
        final List<Field> fields = new ArrayList<>();
        int enrichmentOffset = -1;
        int enrichmentLength = 0;
        for (int i = 1; i < tokens.size(); i++)
        {
            final Token t = tokens.get(i);
            if (t.signal() == Signal.BEGIN_GROUP || t.signal() == Signal.BEGIN_VAR_DATA)
            {
                throw new IllegalArgumentException("message " + begin.name() + ": field '" + t.name() +
                    "' is a group or var data; slots hold fixed-length fields only");
            }
            if (t.signal() != Signal.BEGIN_FIELD)
            {
                continue;
            }
            final Token type = tokens.get(i + 1);
            final int offset = headerLength + t.offset();
            final String name = Names.snakeCase(t.name());
            if (ENRICHMENT_FIELD.equals(t.name()))
            {
                enrichmentOffset = offset;
                enrichmentLength = type.encodedLength();
            }
            else
            {
                fields.add(toField(begin.name(), name, type, tokens, i + 1, offset));
            }
            i += t.componentTokenCount() - 1;
        }
        if (enrichmentOffset < 0)
        {
            enrichmentOffset = headerLength + begin.encodedLength();
        }
        return new RecordLayout(begin.name(), ir.id(), (int)begin.id(), ir.version(), headerLength,
            begin.encodedLength(), enrichmentOffset, enrichmentLength, 0, fields);
    }

    private static Field toField(
        final String message, final String name, final Token type, final List<Token> tokens, final int at, final int offset)
    {
        if (type.signal() == Signal.BEGIN_COMPOSITE)
        {
            Token mantissa = null;
            Token exponent = null;
            for (int j = at + 1; j < at + type.componentTokenCount() - 1; j++)
            {
                final Token c = tokens.get(j);
                if ("mantissa".equals(c.name()))
                {
                    mantissa = c;
                }
                else if ("exponent".equals(c.name()))
                {
                    exponent = c;
                }
            }
            if (mantissa != null && exponent != null && mantissa.encoding().primitiveType() == PrimitiveType.INT64 &&
                exponent.isConstantEncoding() && mantissa.offset() == 0)
            {
                final int scale = -Integer.parseInt(exponent.encoding().constValue().toString().trim());
                if (scale < 0 || scale > Decimals.MAX_SCALE)
                {
                    throw new IllegalArgumentException(message + "." + name + ": decimal exponent must be 0 to -18");
                }
                return new Field(name, FieldType.DECIMAL, offset, 8, scale);
            }
            throw new IllegalArgumentException(message + "." + name + ": composite '" + type.name() +
                "' is not a decimal (int64 mantissa, constant exponent)");
        }
        if (type.signal() != Signal.ENCODING)
        {
            throw new IllegalArgumentException(message + "." + name + ": " + type.signal() + " fields are not supported");
        }
        final Encoding encoding = type.encoding();
        final PrimitiveType primitive = encoding.primitiveType();
        final int width = type.encodedLength();
        if (primitive == PrimitiveType.CHAR)
        {
            return new Field(name, FieldType.STRING, offset, width, 0);
        }
        if (type.arrayLength() > 1)
        {
            throw new IllegalArgumentException(message + "." + name + ": arrays of " + primitive + " are not supported");
        }
        switch (primitive)
        {
            case FLOAT:
            case DOUBLE:
                return new Field(name, FieldType.DOUBLE, offset, width, 0);
            case INT64:
                if ("UTCTimestamp".equalsIgnoreCase(encoding.semanticType()))
                {
                    return new Field(name, FieldType.TIMESTAMP, offset, 8, 0);
                }
                return new Field(name, FieldType.LONG, offset, 8, 0);
            case INT8:
            case INT16:
            case INT32:
                return new Field(name, FieldType.LONG, offset, width, 0);
            case UINT8:
                if ("Boolean".equalsIgnoreCase(encoding.semanticType()))
                {
                    return new Field(name, FieldType.BOOLEAN, offset, 1, 0);
                }
                throw new IllegalArgumentException(message + "." + name + ": unsigned types are not supported; use a " +
                    "signed type or semanticType=\"Boolean\"");
            default:
                throw new IllegalArgumentException(message + "." + name + ": " + primitive + " is not supported");
        }
    }
}

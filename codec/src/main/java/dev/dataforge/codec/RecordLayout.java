package dev.dataforge.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fixed layout of the records in a pipeline's ring slots: every field's name, type, offset and width.
 * <p>
 * A slot holds one SBE message: the header then the message's fixed block. Lookup columns added by enrich stages
 * are placed inside the block's enrichment region when the pipeline loads ({@link #withEnrichment}), so the slot
 * size never changes and every field, built-in or enriched, is read the same way.
 *
 * <pre>
 *   0                  headerLength                         enrichmentOffset            recordLength()
 *   +------------------+------------------------------------+---------------------------+
 *   | SBE header       | message fields (schema order)      | enrichment region         |
 *   +------------------+------------------------------------+---------------------------+
 * </pre>
 * A layout with variable fields ({@link Field#isVariable()}: strings without a width, {@code json}) starts its block
 * with the record's whole length (int32) and keeps the variable fields' bytes behind the enrichment region, in
 * the order they were written; the fixed part stays where it is, so every fixed field is read as before:
 * <pre>
 *   | SBE header | int32 record length | fields (a variable one: where + length) | enrichment | variable data ... |
 *   0            8                     12                                                     recordLength()  length
 * </pre>
 * How long one record is: {@link #recordLength(DirectBuffer, int)}.
 */
public final class RecordLayout
{
    private final String messageName;
    private final int schemaId;
    private final int templateId;
    private final int version;
    private final int headerLength;
    private final int blockLength;
    private final int enrichmentOffset;
    private final int enrichmentLength;
    private final int enrichmentUsed;
    private final Map<String, Field> fieldsByName;
    private final List<Field> fields;
    private final boolean variable;

    RecordLayout(
        final String messageName,
        final int schemaId,
        final int templateId,
        final int version,
        final int headerLength,
        final int blockLength,
        final int enrichmentOffset,
        final int enrichmentLength,
        final int enrichmentUsed,
        final List<Field> fields)
    {
        this.messageName = messageName;
        this.schemaId = schemaId;
        this.templateId = templateId;
        this.version = version;
        this.headerLength = headerLength;
        this.blockLength = blockLength;
        this.enrichmentOffset = enrichmentOffset;
        this.enrichmentLength = enrichmentLength;
        this.enrichmentUsed = enrichmentUsed;
        final Map<String, Field> byName = new LinkedHashMap<>();
        for (final Field f : fields)
        {
            if (byName.put(f.name(), f) != null)
            {
                throw new IllegalArgumentException("duplicate field '" + f.name() + "' in " + messageName);
            }
        }
        this.fieldsByName = Collections.unmodifiableMap(byName);
        this.fields = List.copyOf(fields);
        this.variable = fields.stream().anyMatch(Field::isVariable);
    }

    /** Template id of layouts built from a field list ({@link #of}); SBE records of such a layout carry it. */
    public static final int INLINE_TEMPLATE_ID = 1;
    /** Schema id of layouts built from a field list: "DF". */
    public static final int INLINE_SCHEMA_ID = 0x4446;
    private static final int SBE_HEADER_LENGTH = 8;
    /** Where a layout with variable fields keeps the record's whole length (int32). */
    public static final int LENGTH_OFFSET = SBE_HEADER_LENGTH;

    /**
     * Lays out fields one after the other behind an SBE message header, then an enrichment region: the layout of a
     * schema given as a field list or inferred from records.
     *
     * @param fields in order; their offsets are ignored.
     */
    public static RecordLayout of(final String messageName, final List<Field> fields, final int enrichmentLength)
    {
        final List<Field> placed = new ArrayList<>();
        int at = fields.stream().anyMatch(Field::isVariable) ? LENGTH_OFFSET + 4 : SBE_HEADER_LENGTH;
        for (final Field f : fields)
        {
            placed.add(f.at(at));
            at += f.length();
        }
        final int blockLength = at - SBE_HEADER_LENGTH + enrichmentLength;
        return new RecordLayout(messageName, INLINE_SCHEMA_ID, INLINE_TEMPLATE_ID, fingerprint(placed,
            enrichmentLength), SBE_HEADER_LENGTH, blockLength,
            at, enrichmentLength, 0, placed);
    }

    /**
     * @return the version of a layout built from a field list: 1 to 32767, from every field's name, type, width,
     * scale and kind, so a record (a journal entry) written in another layout is told apart (a 15-bit check: two
     * different field lists share one with odds of 1 in 32767).
     */
    static int fingerprint(final List<Field> fields, final int enrichmentLength)
    {
        int h = enrichmentLength;
        for (final Field f : fields)
        {
            h = 31 * h + f.name().hashCode();
            h = 31 * h + f.type().ordinal();
            h = 31 * h + f.length();
            h = 31 * h + f.scale();
            h = 31 * h + (f.isVariable() ? 1 : 0);
        }
        return 1 + ((h ^ h >>> 16) & 0x7FFF) % 0x7FFF;
    }

    public String messageName()
    {
        return messageName;
    }

    public int schemaId()
    {
        return schemaId;
    }

    public int templateId()
    {
        return templateId;
    }

    public int version()
    {
        return version;
    }

    public int headerLength()
    {
        return headerLength;
    }

    public int blockLength()
    {
        return blockLength;
    }

    /** @return bytes of one record's fixed part: header plus block (all of it, without variable fields). */
    public int recordLength()
    {
        return headerLength + blockLength;
    }

    /** @return true when some field is variable length: records differ in length. */
    public boolean isVariable()
    {
        return variable;
    }

    /** @return the whole length of the record at {@code base}: its fixed part and its variable data. */
    public int recordLength(final DirectBuffer buffer, final int base)
    {
        return variable ? buffer.getInt(base + LENGTH_OFFSET) : headerLength + blockLength;
    }

    /** Sets the whole length of a record of a variable layout (what {@link #recordLength(DirectBuffer, int)} reads). */
    public void recordLength(final MutableDirectBuffer buffer, final int base, final int length)
    {
        if (variable)
        {
            buffer.putInt(base + LENGTH_OFFSET, length);
        }
    }

    public int enrichmentOffset()
    {
        return enrichmentOffset;
    }

    public int enrichmentLength()
    {
        return enrichmentLength;
    }

    /** @return bytes of the enrichment region already given to lookup columns. */
    public int enrichmentUsed()
    {
        return enrichmentUsed;
    }

    /** @return all fields in slot order, enriched columns last. */
    public List<Field> fields()
    {
        return fields;
    }

    /** @return the field, or null when there is none by that name. */
    public Field field(final String name)
    {
        return fieldsByName.get(name);
    }

    /**
     * @return where a path starts in {@code name} ({@code .} or {@code [}) after the longest name before it that is
     * a field ({@code repository.topics} before {@code repository}), or -1 when no field begins the name.
     */
    public int pathStart(final String name)
    {
        for (int i = name.length() - 1; i > 0; i--)
        {
            if ((name.charAt(i) == '.' || name.charAt(i) == '[') && fieldsByName.containsKey(name.substring(0, i)))
            {
                return i;
            }
        }
        return -1;
    }

    public Set<String> fieldNames()
    {
        return fieldsByName.keySet();
    }

    /**
     * Places lookup columns in the enrichment region, after any placed before.
     *
     * @param columns fields whose offsets are ignored; each is laid out in order.
     * @return the new layout, this one unchanged.
     * @throws IllegalArgumentException naming the column that clashes with a field or does not fit.
     */
    public RecordLayout withEnrichment(final List<Field> columns)
    {
        final List<Field> all = new ArrayList<>(fields);
        int used = enrichmentUsed;
        for (final Field c : columns)
        {
            if (fieldsByName.containsKey(c.name()) || all.stream().anyMatch(f -> f.name().equals(c.name())))
            {
                throw new IllegalArgumentException("column '" + c.name() + "' clashes with an event field of the " +
                    "same name; set a prefix on the enrich stage");
            }
            if (used + c.length() > enrichmentLength)
            {
                throw new IllegalArgumentException("column '" + c.name() + "' does not fit: the enrichment region " +
                    "holds " + enrichmentLength + " bytes and " + used + " are taken; select fewer columns or " +
                    "narrow string columns");
            }
            all.add(c.at(enrichmentOffset + used));
            used += c.length();
        }
        return new RecordLayout(messageName, schemaId, templateId, version, headerLength, blockLength,
            enrichmentOffset, enrichmentLength, used, all);
    }

    @Override
    public String toString()
    {
        return messageName + fields;
    }
}

package dev.dataforge.core.processing.lookup;

import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;
import dev.dataforge.codec.Names;
import dev.dataforge.codec.RecordLayout;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable in-memory lookup table, built once when a pipeline loads. Rows are stored back to back in one
 * {@code byte[]} as row images in the exact binary form of their {@link Field}s (little endian, strings zero
 * padded), key column included:
 * <pre>
 *   0            rowLength         2 * rowLength
 *   +------------+-----------------+-----
 *   | row 0      | row 1           | ...      each row: column 0 | column 1 | ... at the columns' offsets
 *   +------------+-----------------+-----
 * </pre>
 * The key index is open addressing: {@code long} keys for an integer key column, in-place byte comparison for a
 * string key column. {@link #bind} makes an {@link Enricher} that copies selected columns into event slots.
 */
public final class LookupTable
{
    /** Returned by the {@code rowOf} methods when no row has the key. */
    public static final int MISSING = -1;

    private final String name;
    private final List<Field> columns;
    private final Map<String, Field> columnsByName;
    private final Field keyColumn;
    private final int rowLength;
    private final int size;
    private final byte[] rows;
    private final UnsafeBuffer rowBuffer;
    private final LongKeyIndex longIndex;
    private final BytesKeyIndex bytesIndex;

    LookupTable(
        final String name,
        final List<Field> columns,
        final Field keyColumn,
        final int rowLength,
        final int size,
        final byte[] rows,
        final LongKeyIndex longIndex,
        final BytesKeyIndex bytesIndex)
    {
        this.name = name;
        this.columns = List.copyOf(columns);
        final Map<String, Field> byName = new LinkedHashMap<>();
        for (final Field f : columns)
        {
            byName.put(f.name(), f);
        }
        this.columnsByName = byName;
        this.keyColumn = keyColumn;
        this.rowLength = rowLength;
        this.size = size;
        this.rows = rows;
        this.rowBuffer = new UnsafeBuffer(rows);
        this.longIndex = longIndex;
        this.bytesIndex = bytesIndex;
    }

    /**
     * @return the bytes this version holds: its rows and its index (12 bytes per slot for an integer key, 8 for a
     *         string key, at the index's load factor); each enrich stage bound to it adds its images.
     */
    public long bytes()
    {
        final long slots = LongKeyIndex.capacityFor(size);
        return (long)rows.length + slots * (longIndex != null ? 12 : 8);
    }

    public String name()
    {
        return name;
    }

    /** @return every column in file order, the key included, with offsets relative to the start of a row image. */
    public List<Field> columns()
    {
        return columns;
    }

    /** @return the column, or null. */
    public Field column(final String columnName)
    {
        return columnsByName.get(columnName);
    }

    public Field keyColumn()
    {
        return keyColumn;
    }

    /** @return the number of rows. */
    public int size()
    {
        return size;
    }

    /** @return bytes of one row image. */
    public int rowLength()
    {
        return rowLength;
    }

    /** @return the row images, read-only by contract: read a column with {@code field.getX(rows(), rowBase(row))}. */
    public DirectBuffer rows()
    {
        return rowBuffer;
    }

    /** @return where a row's image starts in {@link #rows()}. */
    public int rowBase(final int row)
    {
        return row * rowLength;
    }

    /** @return the row with an integer key, or {@link #MISSING} (also when the key column is a string). */
    public int rowOf(final long key)
    {
        return longIndex == null ? MISSING : longIndex.get(key);
    }

    /** @return the row with a string key, or {@link #MISSING}. Allocates: for tools and tests, not the hot path. */
    public int rowOf(final String key)
    {
        if (bytesIndex == null || key.isEmpty())
        {
            return MISSING;
        }
        final byte[] bytes = ColumnTypes.utf8(key);
        return bytesIndex.get(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /**
     * Prepares an enrich stage: validates the key and the selection, lays the selected columns out in the
     * enrichment region and precomputes each row's image of just those columns.
     *
     * @param eventKey the event field that holds the key, a field of {@code before}.
     * @param select   columns to add, in order; empty for every column but the key.
     * @param prefix   put before each column's name in the event (may be empty).
     * @param before   the layout the enrich stage reads.
     * @return the enricher, whose {@link Enricher#layout()} is the layout after the stage.
     * @throws IllegalArgumentException for an unknown column (with a suggestion), a column selected twice, key
     *                                  types that cannot match, or columns that clash or do not fit the region.
     */
    public Enricher bind(
        final Field eventKey, final List<String> select, final String prefix, final RecordLayout before)
    {
        final String p = prefix == null ? "" : prefix;
        checkKey(eventKey, before);
        final List<Field> selected = select(select);
        final List<Field> renamed = new ArrayList<>(selected.size());
        for (final Field column : selected)
        {
            renamed.add(column.renamed(p + column.name()));
        }
        final RecordLayout after = before.withEnrichment(renamed);
        final int start = before.enrichmentOffset() + before.enrichmentUsed();
        final int imageLength = after.enrichmentUsed() - before.enrichmentUsed();
        final byte[] images = new byte[Math.multiplyExact(size, imageLength)];
        final byte[] nullImage = new byte[imageLength];
        final UnsafeBuffer nullBuffer = new UnsafeBuffer(nullImage);
        int target = 0;
        for (final Field column : selected)
        {
            final Field placed = after.field(p + column.name());
            final int relative = placed.offset() - start;
            placed.putNull(nullBuffer, -start);
            for (int row = 0; row < size; row++)
            {
                System.arraycopy(rows, row * rowLength + column.offset(), images, row * imageLength + relative,
                    column.length());
            }
            target += column.length();
        }
        assert target == imageLength;
        return new Enricher(after, eventKey, start, imageLength, images, nullImage, longIndex, bytesIndex);
    }

    private void checkKey(final Field eventKey, final RecordLayout before)
    {
        if (before.field(eventKey.name()) == null)
        {
            throw new IllegalArgumentException("lookup '" + name + "': key field '" + eventKey.name() +
                "' is not a field of the event" + Names.didYouMean(eventKey.name(), before.fieldNames()));
        }
        final boolean integerKey = keyColumn.type() == FieldType.LONG;
        final boolean compatible = integerKey ? eventKey.type() == FieldType.LONG : eventKey.type() == FieldType.STRING;
        if (!compatible)
        {
            throw new IllegalArgumentException("lookup '" + name + "': event field '" + eventKey.name() + "' is " +
                eventKey.typeDescription() + " but the key column '" + keyColumn.name() + "' is " +
                keyColumn.typeDescription() + "; an integer key needs an integer field, a string key a string field");
        }
    }

    private List<Field> select(final List<String> select)
    {
        final List<Field> selected = new ArrayList<>();
        if (select == null || select.isEmpty())
        {
            for (final Field column : columns)
            {
                if (column != keyColumn)
                {
                    selected.add(column);
                }
            }
            return selected;
        }
        final Set<String> seen = new HashSet<>();
        for (final String columnName : select)
        {
            final Field column = columnsByName.get(columnName);
            if (column == null)
            {
                throw new IllegalArgumentException("lookup '" + name + "' has no column '" + columnName + "'" +
                    Names.didYouMean(columnName, columnsByName.keySet()) + " (columns: " +
                    String.join(", ", columnsByName.keySet()) + ")");
            }
            if (!seen.add(columnName))
            {
                throw new IllegalArgumentException("lookup '" + name + "': column '" + columnName +
                    "' is selected twice");
            }
            selected.add(column);
        }
        return selected;
    }

    @Override
    public String toString()
    {
        return "lookup '" + name + "' (" + size + " rows, key " + keyColumn.name() + ", " + columns + ")";
    }
}

package dev.dataforge.core.processing.lookup;

import dev.dataforge.api.lookup.LookupException;
import dev.dataforge.api.lookup.LookupRows;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldType;
import dev.dataforge.codec.Names;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the rows a lookup connector read into a {@link LookupTable}: types each column (declared or inferred), encodes
 * every value into its row image, and indexes the key, reporting the first bad value with its file, line and column.
 */
public final class LookupTableBuilder
{
    private LookupTableBuilder()
    {
    }

    /**
     * @param name the lookup's name.
     * @param raw  the data, keyed by a column, with the types the user declared (the others are inferred).
     */
    public static LookupTable build(final String name, final LookupRows raw)
    {
        return build(name, raw, null, false);
    }

    /**
     * The first version of a lookup that changes while the pipeline runs: as {@link #build(String, LookupRows)},
     * but an inferred string column gets room to grow (twice the longest value at start, 16 bytes at least), so
     * that a later version with a somewhat longer value still fits the columns the enrich stages were planned on.
     */
    public static LookupTable buildLive(final String name, final LookupRows raw)
    {
        return build(name, raw, null, true);
    }

    /**
     * A later version of a lookup: typed as {@code previous} (the columns enrich stages were planned on), so that it
     * binds to the same layout. Columns the new rows add are left out; a column they lack, or a value that does not
     * fit its column, fails the version with the row and column named.
     */
    public static LookupTable rebuild(final LookupTable previous, final LookupRows raw)
    {
        return build(previous.name(), raw, previous, false);
    }

    private static LookupTable build(final String name, final LookupRows raw, final LookupTable previous,
        final boolean room)
    {
        final String key = previous != null ? previous.keyColumn().name() : raw.key();
        final Map<String, Field> declared;
        if (previous != null)
        {
            declared = new java.util.LinkedHashMap<>();
            for (final Field f : previous.columns())
            {
                declared.put(f.name(), f.at(0));
            }
        }
        else
        {
            declared = raw.declared();
        }
        final int headerLine = raw.headerLine();
        final List<String> names = raw.columns();
        for (final String declaredName : declared.keySet())
        {
            if (previous == null && !names.contains(declaredName))
            {
                throw new LookupException(raw.origin(), headerLine, null, "declared column '" + declaredName +
                    "' is not among the columns" + Names.didYouMean(declaredName, names) + " (columns: " +
                    String.join(", ", names) + ")");
            }
        }
        final int keyIndex = names.indexOf(key);
        if (keyIndex < 0)
        {
            throw new LookupException(raw.origin(), headerLine, null, "key column '" + key + "' is not among the columns" +
                Names.didYouMean(key, names) + " (columns: " + String.join(", ", names) + ")");
        }
        final List<Field> columns = new ArrayList<>(names.size());
        // raw column index of each typed column (a later version's extra columns are left out)
        final int[] source = new int[names.size()];
        int rowLength = 0;
        int keyTyped = -1;
        for (int c = 0; c < names.size(); c++)
        {
            Field type = declared.get(names.get(c));
            if (type == null && previous != null)
            {
                continue;
            }
            if (type == null)
            {
                type = ColumnTypes.infer(raw, c);
                if (c == keyIndex && type.type() != FieldType.LONG && type.type() != FieldType.STRING)
                {
                    type = new Field(type.name(), FieldType.STRING, 0, maxUtf8Length(raw, c), 0);
                }
                if (room && type.type() == FieldType.STRING)
                {
                    type = new Field(type.name(), FieldType.STRING, 0, Math.min(ColumnTypes.MAX_STRING_LENGTH,
                        Math.max(16, 2 * type.length())), 0);
                }
            }
            else if (c == keyIndex && type.type() != FieldType.LONG && type.type() != FieldType.STRING)
            {
                throw new LookupException(raw.origin(), headerLine, raw.describe(c), "a key column must be an " +
                    "integer or a string, not " + type.typeDescription());
            }
            if (c == keyIndex)
            {
                keyTyped = columns.size();
            }
            source[columns.size()] = c;
            columns.add(type.at(rowLength));
            rowLength += type.length();
        }
        if (previous != null && columns.size() != previous.columns().size())
        {
            final List<String> missing = new ArrayList<>();
            for (final Field f : previous.columns())
            {
                if (!names.contains(f.name()))
                {
                    missing.add(f.name());
                }
            }
            throw new LookupException(raw.origin(), headerLine, null, "the new version lacks column(s) " +
                String.join(", ", missing) + " that the enrich stages were planned on");
        }
        if (previous != null)
        {
            // the previous version's column order, so that offsets match
            final List<Field> ordered = new ArrayList<>(columns.size());
            final int[] orderedSource = new int[columns.size()];
            int offset = 0;
            for (final Field f : previous.columns())
            {
                for (int i = 0; i < columns.size(); i++)
                {
                    if (columns.get(i).name().equals(f.name()))
                    {
                        orderedSource[ordered.size()] = source[i];
                        if (source[i] == keyIndex)
                        {
                            keyTyped = ordered.size();
                        }
                        ordered.add(columns.get(i).at(offset));
                        offset += columns.get(i).length();
                    }
                }
            }
            columns.clear();
            columns.addAll(ordered);
            System.arraycopy(orderedSource, 0, source, 0, orderedSource.length);
        }
        final int size = raw.size();
        if ((long)size * rowLength > Integer.MAX_VALUE - 16)
        {
            throw new LookupException(raw.origin(), 0, null, "too large to hold in memory: " + size + " rows of " +
                rowLength + " bytes");
        }
        final byte[] rows = new byte[size * rowLength];
        final UnsafeBuffer buffer = new UnsafeBuffer(rows);
        for (int row = 0; row < size; row++)
        {
            final int base = row * rowLength;
            for (int c = 0; c < columns.size(); c++)
            {
                final String problem = ValueEncoder.encode(raw.value(row, source[c]), columns.get(c), buffer, base);
                if (problem != null)
                {
                    throw raw.error(row, source[c], problem);
                }
            }
        }
        final Field keyColumn = columns.get(keyTyped);
        return keyColumn.type() == FieldType.LONG ?
            new LookupTable(name, columns, keyColumn, rowLength, size, rows,
                longIndex(raw, keyIndex, keyColumn, buffer, rowLength), null) :
            new LookupTable(name, columns, keyColumn, rowLength, size, rows,
                null, bytesIndex(raw, keyIndex, keyColumn, buffer, rowLength));
    }

    private static LongKeyIndex longIndex(
        final LookupRows raw, final int keyIndex, final Field keyColumn, final UnsafeBuffer rows, final int rowLength)
    {
        final LongKeyIndex index = new LongKeyIndex(raw.size());
        for (int row = 0; row < raw.size(); row++)
        {
            final int base = row * rowLength;
            if (keyColumn.isNull(rows, base))
            {
                throw nullKey(raw, row, keyIndex);
            }
            final long key = keyColumn.getLong(rows, base);
            final int previous = index.putIfAbsent(key, row);
            if (previous != LongKeyIndex.MISSING)
            {
                throw duplicate(raw, row, keyIndex, previous, Long.toString(key));
            }
        }
        return index;
    }

    private static BytesKeyIndex bytesIndex(
        final LookupRows raw, final int keyIndex, final Field keyColumn, final UnsafeBuffer rows, final int rowLength)
    {
        final BytesKeyIndex index = new BytesKeyIndex(rows, rowLength, keyColumn.offset(), keyColumn.length(),
            raw.size());
        for (int row = 0; row < raw.size(); row++)
        {
            if (keyColumn.isNull(rows, row * rowLength))
            {
                throw nullKey(raw, row, keyIndex);
            }
            final int previous = index.add(row);
            if (previous != BytesKeyIndex.MISSING)
            {
                throw duplicate(raw, row, keyIndex, previous, "'" + raw.value(row, keyIndex) + "'");
            }
        }
        return index;
    }

    private static LookupException nullKey(final LookupRows raw, final int row, final int keyIndex)
    {
        return raw.error(row, keyIndex, "the key is empty (NULL); every row needs a key");
    }

    private static LookupException duplicate(
        final LookupRows raw, final int row, final int keyIndex, final int previous, final String key)
    {
        return raw.error(row, keyIndex, "duplicate key " + key + ", already on line " + raw.line(previous) +
            "; keys must be unique");
    }

    private static int maxUtf8Length(final LookupRows raw, final int column)
    {
        int max = 1;
        for (int row = 0; row < raw.size(); row++)
        {
            final String v = raw.value(row, column);
            if (v != null)
            {
                max = Math.max(max, ColumnTypes.utf8Length(v));
            }
        }
        return Math.min(max, ColumnTypes.MAX_STRING_LENGTH);
    }
}

package dev.dataforge.api.lookup;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.codec.Field;
import dev.dataforge.codec.FieldTypes;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lookup's data as a connector reads it, before the engine types and indexes it: column names, each row's values
 * as text (null for NULL) with the line (or row number) it came from, the key column, and the column types the user
 * declared. The engine infers the other columns' types, encodes every row into its image and indexes the key,
 * reporting the first bad value with its origin, line and column. Loading is off the hot path: it may allocate.
 */
public final class LookupRows
{
    /** The widest string column a lookup takes, in bytes: it bounds memory, the enrichment region is far smaller. */
    public static final int MAX_STRING_BYTES = 4096;

    private final String origin;
    private final String columnWord;
    private final List<String> columns;
    private final BitSet quotedText = new BitSet();
    private final List<String[]> rows = new ArrayList<>();
    private final List<Integer> lines = new ArrayList<>();
    private String key;
    private int headerLine;
    private Map<String, Field> declared = Map.of();

    /**
     * @param origin     where the rows come from, as the user named it (a file, a table): messages start with it.
     * @param columnWord "column" for CSV, "field" for JSON lines.
     * @param columns    names in source order (more may be added while reading).
     */
    public LookupRows(final String origin, final String columnWord, final List<String> columns)
    {
        this.origin = origin;
        this.columnWord = columnWord;
        this.columns = new ArrayList<>(columns);
    }

    /**
     * Reads a lookup's {@code columns} option ({@code {tier: string(12), lifetime_value: decimal(2)}}): the types a
     * user declared, by column name, in the order written.
     *
     * @throws ConfigException at the bad type's location.
     */
    public static Map<String, Field> declaredColumns(final ConfigValues config, final String option)
    {
        final Map<String, Field> declared = new LinkedHashMap<>();
        final ConfigNode columns = config.node(option);
        if (columns == null || !columns.isMap())
        {
            return declared;
        }
        for (final Map.Entry<String, ConfigNode> e : columns.entries().entrySet())
        {
            try
            {
                declared.put(e.getKey(), FieldTypes.parse(e.getKey(), e.getValue().text(), MAX_STRING_BYTES));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException(e.getValue().location(), config.where() + ": column '" + e.getKey() +
                    "': " + ex.getMessage());
            }
        }
        return declared;
    }

    /** @return the index of a new column, for formats that discover columns row by row. */
    public int addColumn(final String name)
    {
        columns.add(name);
        return columns.size() - 1;
    }

    public void add(final String[] values, final int line)
    {
        rows.add(values);
        lines.add(line);
    }

    /** Marks a column whose values were written as text (JSON strings): inference keeps it a string. */
    public void markText(final int column)
    {
        quotedText.set(column);
    }

    public boolean isText(final int column)
    {
        return quotedText.get(column);
    }

    /**
     * Names the key column and the columns' declared types (fields at offset 0, by column name; the others are
     * inferred).
     *
     * @param headerLine the line naming the columns (1 for a CSV header), 0 when there is none: where a missing
     *                   column is reported.
     */
    public LookupRows keyedBy(final String keyColumn, final Map<String, Field> declaredTypes, final int headerLine)
    {
        this.key = keyColumn;
        this.declared = new LinkedHashMap<>(declaredTypes);
        this.headerLine = headerLine;
        return this;
    }

    public String origin()
    {
        return origin;
    }

    public List<String> columns()
    {
        return columns;
    }

    /** @return the key column's name, or null before {@link #keyedBy}. */
    public String key()
    {
        return key;
    }

    public Map<String, Field> declared()
    {
        return declared;
    }

    public int headerLine()
    {
        return headerLine;
    }

    public int size()
    {
        return rows.size();
    }

    /** @return the value's text, or null for NULL. */
    public String value(final int row, final int column)
    {
        final String[] r = rows.get(row);
        return column < r.length ? r[column] : null;
    }

    public int line(final int row)
    {
        return lines.get(row);
    }

    /** @return {@code column 'x'} or {@code field 'x'}. */
    public String describe(final int column)
    {
        return columnWord + " '" + columns.get(column) + "'";
    }

    public LookupException error(final int row, final int column, final String detail)
    {
        return new LookupException(origin, row < 0 ? 0 : line(row), column < 0 ? null : describe(column), detail);
    }
}

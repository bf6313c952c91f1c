package dev.dataforge.core.lookup;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Lookup data as read from a file, before typing: column names in file order and each row's values as text
 * (null for NULL), with the line each row started on, for messages.
 */
final class RawTable
{
    private final String file;
    private final String columnWord;
    private final List<String> columns;
    private final BitSet quotedText = new BitSet();
    private final List<String[]> rows = new ArrayList<>();
    private final List<Integer> lines = new ArrayList<>();

    /**
     * @param file       the file as the user named it.
     * @param columnWord "column" for CSV, "field" for JSON lines.
     * @param columns    names in file order (more may be added while reading).
     */
    RawTable(final String file, final String columnWord, final List<String> columns)
    {
        this.file = file;
        this.columnWord = columnWord;
        this.columns = new ArrayList<>(columns);
    }

    /** @return the index of a new column, for formats that discover columns row by row. */
    int addColumn(final String name)
    {
        columns.add(name);
        return columns.size() - 1;
    }

    void add(final String[] values, final int line)
    {
        rows.add(values);
        lines.add(line);
    }

    /** Marks a column whose values were written as text (JSON strings): inference keeps it a string. */
    void markText(final int column)
    {
        quotedText.set(column);
    }

    boolean isText(final int column)
    {
        return quotedText.get(column);
    }

    String file()
    {
        return file;
    }

    List<String> columns()
    {
        return columns;
    }

    int size()
    {
        return rows.size();
    }

    /** @return the value's text, or null for NULL. */
    String value(final int row, final int column)
    {
        final String[] r = rows.get(row);
        return column < r.length ? r[column] : null;
    }

    int line(final int row)
    {
        return lines.get(row);
    }

    /** @return {@code column 'x'} or {@code field 'x'}. */
    String describe(final int column)
    {
        return columnWord + " '" + columns.get(column) + "'";
    }

    LookupException error(final int row, final int column, final String detail)
    {
        return new LookupException(file, row < 0 ? 0 : line(row), column < 0 ? null : describe(column), detail);
    }
}

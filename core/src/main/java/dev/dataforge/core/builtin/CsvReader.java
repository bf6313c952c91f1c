package dev.dataforge.core.builtin;

import dev.dataforge.api.lookup.LookupException;
import dev.dataforge.api.lookup.LookupRows;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV text as RFC 4180 says: values separated by a delimiter, records by CRLF or LF; a value in double quotes
 * may hold delimiters, line breaks and doubled quotes ({@code ""}). An empty value, quoted or not, is NULL. Blank
 * lines are skipped. A row is reported at the line it starts on.
 */
final class CsvReader
{
    private final String file;
    private final String text;
    private final char delimiter;
    private int position;
    private int line = 1;
    private int recordLine;
    private List<String> names;

    private CsvReader(final String file, final String text, final char delimiter)
    {
        this.file = file;
        this.text = text;
        this.delimiter = delimiter;
        this.position = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? 1 : 0;
    }

    /**
     * @param file      the file as the user named it, for messages.
     * @param text      the whole file.
     * @param delimiter the value separator.
     * @param header    true when the first record names the columns.
     * @param declared  the column names to use when there is no header (ignored otherwise).
     */
    static LookupRows read(
        final String file, final String text, final char delimiter, final boolean header, final List<String> declared)
    {
        final CsvReader reader = new CsvReader(file, text, delimiter);
        final List<String> columns;
        if (header)
        {
            final List<String> names = reader.nextRecord();
            final int headerLine = reader.recordLine;
            if (names == null)
            {
                throw new LookupException(file, 0, null, "the file is empty; expected a header line");
            }
            columns = new ArrayList<>(names.size());
            for (int i = 0; i < names.size(); i++)
            {
                final String n = names.get(i) == null ? "" : names.get(i).trim();
                if (n.isEmpty())
                {
                    throw new LookupException(file, headerLine, null, "header value " + (i + 1) + " is empty; every " +
                        "column needs a name");
                }
                if (columns.contains(n))
                {
                    throw new LookupException(file, headerLine, null, "column '" + n + "' appears twice in the header");
                }
                columns.add(n);
            }
        }
        else
        {
            columns = declared;
        }
        reader.names = columns;
        final LookupRows table = new LookupRows(file, "column", columns);
        while (true)
        {
            final List<String> values = reader.nextRecord();
            if (values == null)
            {
                break;
            }
            final int recordLine = reader.recordLine;
            if (values.size() != columns.size())
            {
                throw new LookupException(file, recordLine, null, "row has " + values.size() + " value" +
                    (values.size() == 1 ? "" : "s") + " but there are " + columns.size() + " columns (" +
                    String.join(", ", columns) + ")");
            }
            table.add(values.toArray(new String[0]), recordLine);
        }
        return table;
    }

    /** @return the next record's values (null for empty ones), or null at the end of the text. */
    private List<String> nextRecord()
    {
        final int n = text.length();
        while (position < n && isLineBreak(text.charAt(position)))
        {
            skipLineBreak();
        }
        if (position >= n)
        {
            return null;
        }
        recordLine = line;
        final List<String> values = new ArrayList<>();
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            final int index = values.size();
            final String value;
            if (position < n && text.charAt(position) == '"')
            {
                value = quoted(sb, index);
            }
            else
            {
                final int start = position;
                while (position < n && text.charAt(position) != delimiter && !isLineBreak(text.charAt(position)))
                {
                    if (text.charAt(position) == '"')
                    {
                        throw new LookupException(file, line, describe(index), "quote inside an unquoted value; " +
                            "put the whole value in quotes and double the quotes inside it (\"\")");
                    }
                    position++;
                }
                value = text.substring(start, position);
            }
            values.add(value.isEmpty() ? null : value);
            if (position < n && text.charAt(position) == delimiter)
            {
                position++;
                continue;
            }
            if (position < n)
            {
                skipLineBreak();
            }
            return values;
        }
    }

    private String quoted(final StringBuilder sb, final int index)
    {
        final int n = text.length();
        final int openLine = line;
        sb.setLength(0);
        position++;
        while (true)
        {
            if (position >= n)
            {
                throw new LookupException(file, openLine, describe(index), "quote opened here is never closed");
            }
            final char c = text.charAt(position);
            if (c == '"')
            {
                if (position + 1 < n && text.charAt(position + 1) == '"')
                {
                    sb.append('"');
                    position += 2;
                    continue;
                }
                position++;
                break;
            }
            if (c == '\n')
            {
                line++;
            }
            sb.append(c);
            position++;
        }
        if (position < n && text.charAt(position) != delimiter && !isLineBreak(text.charAt(position)))
        {
            throw new LookupException(file, line, describe(index), "unexpected '" + text.charAt(position) +
                "' after a closing quote; expected '" + delimiter + "' or the end of the line");
        }
        return sb.toString();
    }

    private String describe(final int index)
    {
        if (names != null && index < names.size())
        {
            return "column '" + names.get(index) + "'";
        }
        return "column " + (index + 1);
    }

    private static boolean isLineBreak(final char c)
    {
        return c == '\n' || c == '\r';
    }

    private void skipLineBreak()
    {
        if (text.charAt(position) == '\r' && position + 1 < text.length() && text.charAt(position + 1) == '\n')
        {
            position++;
        }
        position++;
        line++;
    }
}

package dev.dataforge.core.builtin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.dataforge.api.lookup.LookupException;
import dev.dataforge.api.lookup.LookupRows;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads JSON lines: one flat object per line, values string, number, boolean or null. Fields are the union of the
 * names seen, in the order first seen; a field a line leaves out is NULL there. Blank lines are skipped.
 */
final class JsonLinesReader
{
    private static final JsonFactory JSON = new JsonFactory();

    private JsonLinesReader()
    {
    }

    static LookupRows read(final String file, final String text)
    {
        final LookupRows table = new LookupRows(file, "field", List.of());
        final Map<String, Integer> indexOf = new HashMap<>();
        int lineNumber = 0;
        int start = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? 1 : 0;
        while (start < text.length())
        {
            lineNumber++;
            int end = text.indexOf('\n', start);
            if (end < 0)
            {
                end = text.length();
            }
            final String line = text.substring(start, end).strip();
            start = end + 1;
            if (!line.isEmpty())
            {
                table.add(parseLine(table, indexOf, file, line, lineNumber), lineNumber);
            }
        }
        return table;
    }

    private static String[] parseLine(
        final LookupRows table, final Map<String, Integer> indexOf, final String file, final String line, final int at)
    {
        String[] values = new String[indexOf.size()];
        final Set<String> seen = new HashSet<>();
        String field = null;
        try (JsonParser parser = JSON.createParser(line))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                throw new LookupException(file, at, null, "expected a JSON object ({...}) on each line");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME)
            {
                field = parser.currentName();
                final JsonToken value = parser.nextToken();
                Integer index = indexOf.get(field);
                if (index == null)
                {
                    index = table.addColumn(field);
                    indexOf.put(field, index);
                }
                if (index >= values.length)
                {
                    values = Arrays.copyOf(values, index + 1);
                }
                if (!seen.add(field))
                {
                    throw new LookupException(file, at, "field '" + field + "'", "appears twice on the line");
                }
                values[index] = text(table, parser, value, index, file, at, field);
            }
            if (token != JsonToken.END_OBJECT)
            {
                throw new LookupException(file, at, null, "expected a JSON object ({...}) on each line");
            }
            if (parser.nextToken() != null)
            {
                throw new LookupException(file, at, null, "more than one JSON value on the line; " +
                    "write one object per line");
            }
        }
        catch (final JsonParseException e)
        {
            throw new LookupException(file, at, field == null ? null : "field '" + field + "'",
                "invalid JSON at character " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        catch (final IOException e)
        {
            throw new LookupException(file, at, null, "cannot parse the line: " + e.getMessage());
        }
        return values;
    }

    private static String text(
        final LookupRows table,
        final JsonParser parser,
        final JsonToken value,
        final int index,
        final String file,
        final int at,
        final String field) throws IOException
    {
        switch (value)
        {
            case VALUE_STRING:
                table.markText(index);
                final String s = parser.getText();
                return s.isEmpty() ? null : s;
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return parser.getText();
            case VALUE_TRUE:
                return "true";
            case VALUE_FALSE:
                return "false";
            case VALUE_NULL:
                return null;
            default:
                throw new LookupException(file, at, "field '" + field + "'", "nested objects and arrays are not " +
                    "supported; each line must be a flat object of strings, numbers, booleans and nulls");
        }
    }
}

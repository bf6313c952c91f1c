package dev.dataforge.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigNode;
import dev.dataforge.api.config.Location;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses YAML into {@link ConfigNode}s that keep where each key and value was written, substituting
 * {@code ${VAR}} and {@code ${VAR:-default}} in values ({@code $${} is a literal {@code ${}}). Duplicate keys,
 * anchors and aliases, and undefined variables without a default are errors at their line and column.
 */
public final class YamlTree
{
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final String fileName;
    private final String[] lines;
    private final Map<String, String> env;
    private final YAMLParser parser;

    private YamlTree(final String yaml, final String fileName, final Map<String, String> env) throws IOException
    {
        this.fileName = fileName;
        this.lines = yaml.split("\r?\n", -1);
        this.env = env;
        this.parser = (YAMLParser)FACTORY.createParser(yaml);
    }

    /**
     * @return the document's root node; an empty document is a NULL node.
     * @throws ConfigException for a syntax error, duplicate key, alias or undefined variable.
     */
    public static ConfigNode parse(final String yaml, final String fileName, final Map<String, String> env)
    {
        try
        {
            final YamlTree tree = new YamlTree(yaml, fileName, env);
            final JsonToken first = tree.parser.nextToken();
            if (first == null)
            {
                return ConfigNode.nullNode(new Location(fileName, 1, 1));
            }
            return tree.value(first);
        }
        catch (final JsonProcessingException e)
        {
            if (e.getCause() instanceof MarkedYAMLException)
            {
                throw syntaxError((MarkedYAMLException)e.getCause(), fileName);
            }
            final JsonLocation l = e.getLocation();
            final String message = e.getOriginalMessage().split("\n")[0].trim();
            throw new ConfigException(l == null ? new Location(fileName, 0, 0) :
                new Location(fileName, l.getLineNr(), l.getColumnNr()), "YAML syntax error: " + message);
        }
        catch (final IOException e)
        {
            throw new ConfigException(new Location(fileName, 0, 0), "cannot read YAML: " + e.getMessage());
        }
    }

    /**
     * Says what the YAML scanner found wrong, where: at the problem, or at where the unfinished construct began
     * (an unclosed quote) when the problem is the end of the file.
     */
    private static ConfigException syntaxError(final MarkedYAMLException e, final String fileName)
    {
        final Mark problem = e.getProblemMark();
        final Mark context = e.getContextMark();
        final boolean atEnd = e.getProblem() != null && (e.getProblem().contains("end of stream") ||
            e.getProblem().contains("<stream end>"));
        final Mark at = atEnd && context != null ? context : problem != null ? problem : context;
        final String what = e.getProblem() != null ? e.getProblem() : "cannot parse";
        final String where = e.getContext() == null ? "" : " (" + e.getContext() + (context == null ? "" :
            " at line " + (context.getLine() + 1) + ", column " + (context.getColumn() + 1)) + ")";
        return new ConfigException(at == null ? new Location(fileName, 0, 0) :
            new Location(fileName, at.getLine() + 1, at.getColumn() + 1), "YAML syntax error: " + what + where);
    }

    private Location tokenLocation()
    {
        final JsonLocation l = parser.currentTokenLocation();
        return new Location(fileName, l.getLineNr(), l.getColumnNr());
    }

    private ConfigNode value(final JsonToken token) throws IOException
    {
        final Location location = tokenLocation();
        if (parser.isCurrentAlias() || parser.getCurrentAnchor() != null)
        {
            throw new ConfigException(location, "YAML anchors and aliases are not supported; write the value out");
        }
        switch (token)
        {
            case START_OBJECT: return map(location);
            case START_ARRAY: return list(location);
            case VALUE_NULL: return ConfigNode.nullNode(location);
            default:
                final boolean quoted = isQuoted(location);
                final String text = substitute(parser.getText(), location, quoted);
                final int[] columns = quoted ? escapedColumns(location, parser.getText()) : null;
                return columns == null ? ConfigNode.scalar(location, text, quoted) :
                    ConfigNode.scalar(location, text, quoted, columns);
        }
    }

    private ConfigNode map(final Location location) throws IOException
    {
        final Map<String, ConfigNode> entries = new LinkedHashMap<>();
        final Map<String, Location> keys = new LinkedHashMap<>();
        JsonToken t;
        while ((t = parser.nextToken()) != JsonToken.END_OBJECT)
        {
            if (t != JsonToken.FIELD_NAME)
            {
                throw new ConfigException(tokenLocation(), "expected a key");
            }
            final String key = parser.currentName();
            final Location keyLocation = tokenLocation();
            if (keys.containsKey(key))
            {
                throw new ConfigException(keyLocation, "duplicate key '" + key + "' (first at line " +
                    keys.get(key).line() + ")");
            }
            keys.put(key, keyLocation);
            entries.put(key, value(parser.nextToken()));
        }
        return ConfigNode.map(location, entries, keys);
    }

    private ConfigNode list(final Location location) throws IOException
    {
        final List<ConfigNode> items = new ArrayList<>();
        JsonToken t;
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY)
        {
            items.add(value(t));
        }
        return ConfigNode.list(location, items);
    }

    private boolean isQuoted(final Location location)
    {
        final int line = location.line() - 1;
        final int column = location.column() - 1;
        if (line < 0 || line >= lines.length || column < 0 || column >= lines[line].length())
        {
            return false;
        }
        final char c = lines[line].charAt(column);
        return c == '\'' || c == '"';
    }

    /**
     * @return for a quoted scalar written with escapes on one line, the column (after the opening quote) of each
     * character of its value; null when every character stands at its own index (no escapes) or it spans lines.
     */
    private int[] escapedColumns(final Location location, final String value)
    {
        final int line = location.line() - 1;
        if (line < 0 || line >= lines.length)
        {
            return null;
        }
        final String raw = lines[line];
        final int open = location.column() - 1;
        final char quote = raw.charAt(open);
        final int[] columns = new int[value.length()];
        int r = open + 1;
        boolean escaped = false;
        for (int i = 0; i < value.length(); i++)
        {
            if (r >= raw.length())
            {
                return null;
            }
            columns[i] = r - open - 1;
            final char c = raw.charAt(r);
            if (quote == '\'' && c == '\'' && r + 1 < raw.length() && raw.charAt(r + 1) == '\'')
            {
                r += 2;
                escaped = true;
            }
            else if (quote == '"' && c == '\\')
            {
                final char e = r + 1 < raw.length() ? raw.charAt(r + 1) : ' ';
                r += e == 'u' ? 6 : e == 'x' ? 4 : e == 'U' ? 10 : 2;
                escaped = true;
            }
            else
            {
                r += Character.charCount(raw.codePointAt(r));
                if (Character.isSupplementaryCodePoint(value.codePointAt(i)))
                {
                    columns[++i] = columns[i - 1];
                }
            }
        }
        return escaped ? columns : null;
    }

    /** Replaces {@code ${VAR}} and {@code ${VAR:-default}}; {@code $${} stays a literal {@code ${}}. */
    private String substitute(final String text, final Location location, final boolean quoted)
    {
        if (text.indexOf('$') < 0)
        {
            return text;
        }
        final StringBuilder sb = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length())
        {
            final char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i))
            {
                sb.append("${");
                i += 3;
                continue;
            }
            if (c == '$' && text.startsWith("${", i))
            {
                final int end = text.indexOf('}', i + 2);
                final Location at = location.plusColumns(i + (quoted ? 1 : 0));
                if (end < 0)
                {
                    throw new ConfigException(at, "unterminated '${' in value (write $${ for a literal ${)");
                }
                final String body = text.substring(i + 2, end);
                final int dflt = body.indexOf(":-");
                final String name = dflt < 0 ? body : body.substring(0, dflt);
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*"))
                {
                    throw new ConfigException(at, "invalid environment variable name '" + name + "' in ${...}");
                }
                final String value = env.get(name);
                if (value != null && !(dflt >= 0 && value.isEmpty()))
                {
                    sb.append(value);
                }
                else if (dflt >= 0)
                {
                    sb.append(body.substring(dflt + 2));
                }
                else
                {
                    throw new ConfigException(at, "environment variable " + name + " is not set (use ${" + name +
                        ":-default} to give a default)");
                }
                i = end + 1;
                continue;
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }
}

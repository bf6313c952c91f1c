package dev.dataforge.core.builtin;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.lookup.LookupException;
import dev.dataforge.api.lookup.LookupFactory;
import dev.dataforge.api.lookup.LookupRows;
import dev.dataforge.codec.Field;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lookup tables of type {@code file}: a CSV or JSON lines file read whole into memory when the pipeline loads.
 */
public final class FileLookupFactory implements LookupFactory
{
    public static final String TYPE = "file";

    private static final ConfigSpec SPEC = new ConfigSpec(TYPE, "A CSV or JSON lines file loaded into memory.", List.of(
        ConfigOption.of("path", ConfigOption.Type.PATH, "the data file, relative to the pipeline file")
            .required().example("user_profiles.csv"),
        ConfigOption.oneOf("format", "the file format; by default from the extension (.csv, .jsonl, .ndjson)",
            "csv", "jsonl"),
        ConfigOption.of("key", ConfigOption.Type.STRING, "the key column; its values must be unique and not empty")
            .required().example("user_id"),
        ConfigOption.of("columns", ConfigOption.Type.MAP, "column types (long, int, double, decimal(S), " +
            "string(N), boolean, timestamp); columns left out are inferred from the data")
            .example("{tier: string(12), lifetime_value: decimal(2)}"),
        ConfigOption.of("delimiter", ConfigOption.Type.STRING, "CSV value separator: one character, or \\t")
            .defaultValue(","),
        ConfigOption.of("header", ConfigOption.Type.BOOLEAN, "CSV: the first line names the columns; when false, " +
            "'columns' names them in order").defaultValue("true")));

    @Override
    public String type()
    {
        return TYPE;
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    @Override
    public LookupRows load(final String name, final ConfigValues config, final Path baseDirectory) throws IOException
    {
        final Path path = baseDirectory.resolve(config.string("path")).normalize();
        final String format = format(config, path);
        final Map<String, Field> declared = LookupRows.declaredColumns(config, "columns");
        final String key = config.string("key").trim();
        final String file = path.toString();
        final String text = read(path);
        if (format.equals("csv"))
        {
            final boolean header = config.getBoolean("header");
            if (!header && declared.isEmpty())
            {
                throw new ConfigException(config.location("header"), config.where() + ": 'header: false' needs " +
                    "'columns' to name the columns in file order");
            }
            final LookupRows raw = CsvReader.read(file, text, delimiter(config), header, new ArrayList<>(
                declared.keySet()));
            return raw.keyedBy(key, declared, header ? 1 : 0);
        }
        if (config.isSet("delimiter") || config.isSet("header"))
        {
            final String option = config.isSet("delimiter") ? "delimiter" : "header";
            throw new ConfigException(config.location(option), config.where() + ": '" + option + "' applies to " +
                "CSV files only");
        }
        return JsonLinesReader.read(file, text).keyedBy(key, declared, 0);
    }

    private static String format(final ConfigValues config, final Path path)
    {
        if (config.isSet("format"))
        {
            return config.string("format").trim();
        }
        final String fileName = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (fileName.endsWith(".csv"))
        {
            return "csv";
        }
        if (fileName.endsWith(".jsonl") || fileName.endsWith(".ndjson") || fileName.endsWith(".json"))
        {
            return "jsonl";
        }
        throw new ConfigException(config.location("path"), config.where() + ": cannot tell the format of '" +
            path.getFileName() + "' from its extension; set 'format' to csv or jsonl");
    }

    private static char delimiter(final ConfigValues config)
    {
        final String d = config.string("delimiter");
        if (d.equals("\\t") || d.equals("\t") || d.equalsIgnoreCase("tab"))
        {
            return '\t';
        }
        if (d.length() != 1 || d.charAt(0) == '"' || d.charAt(0) == '\n' || d.charAt(0) == '\r')
        {
            throw new ConfigException(config.location("delimiter"), config.where() + ": 'delimiter' must be one " +
                "character other than a quote or a line break (or \\t), not '" + d + "'");
        }
        return d.charAt(0);
    }

    private static String read(final Path path)
    {
        try
        {
            return Files.readString(path);
        }
        catch (final NoSuchFileException e)
        {
            throw new LookupException(path.toString(), 0, null, "cannot read the lookup file: it does not exist");
        }
        catch (final AccessDeniedException e)
        {
            throw new LookupException(path.toString(), 0, null, "cannot read the lookup file: permission denied");
        }
        catch (final CharacterCodingException e)
        {
            throw new LookupException(path.toString(), 0, null, "cannot read the lookup file: it is not UTF-8 text");
        }
        catch (final IOException e)
        {
            throw new LookupException(path.toString(), 0, null, "cannot read the lookup file: " + e);
        }
    }
}

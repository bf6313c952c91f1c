package dev.dataforge.connectors.snowflake;

import dev.dataforge.api.config.ConfigValues;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where the Snowflake sink's connection comes from, resolved when the sink opens (so {@code validate} works without
 * credentials): each setting from the pipeline's config, else from the named (or default) connection in a Snowflake
 * connections file ({@code ~/.snowflake/connections.toml}), else from the environment ({@code SNOWFLAKE_ACCOUNT},
 * {@code SNOWFLAKE_USER}, {@code SNOWFLAKE_PASSWORD}, {@code SNOWFLAKE_PRIVATE_KEY_FILE},
 * {@code SNOWFLAKE_PRIVATE_KEY_PASSPHRASE}, {@code SNOWFLAKE_ROLE}, {@code SNOWFLAKE_WAREHOUSE},
 * {@code SNOWFLAKE_DATABASE}, {@code SNOWFLAKE_SCHEMA}). Authentication is a password or a key pair (JWT).
 */
final class SnowflakeSettings
{
    static final String[] KEYS = {"account", "user", "password", "private_key_file", "private_key_passphrase",
        "role", "warehouse", "database", "schema"};

    private final Map<String, String> values;
    private final String url;

    private SnowflakeSettings(final Map<String, String> values, final String url)
    {
        this.values = values;
        this.url = url;
    }

    static SnowflakeSettings resolve(final ConfigValues config, final Map<String, String> env) throws IOException
    {
        final Map<String, String> fromFile = connectionsFile(config, env);
        final Map<String, String> values = new LinkedHashMap<>();
        for (final String key : KEYS)
        {
            String v = config.isSet(key) ? config.string(key) : null;
            if (v == null || v.isEmpty())
            {
                v = fromFile.get(key);
            }
            if (v == null || v.isEmpty())
            {
                v = env.get("SNOWFLAKE_" + key.toUpperCase(Locale.ROOT));
            }
            if (v != null && !v.isEmpty())
            {
                values.put(key, v);
            }
        }
        return new SnowflakeSettings(values, config.isSet("url") ? config.string("url") : null);
    }

    /** Reads {@code [name]} tables of key = "value" lines: the subset of TOML a connections file uses. */
    private static Map<String, String> connectionsFile(final ConfigValues config, final Map<String, String> env)
        throws IOException
    {
        final Path file = config.isSet("connections_file") ? config.path("connections_file") :
            Path.of(env.getOrDefault("SNOWFLAKE_HOME", env.getOrDefault("HOME", ".") + "/.snowflake"),
                "connections.toml");
        if (!Files.isRegularFile(file))
        {
            if (config.isSet("connection") || config.isSet("connections_file"))
            {
                throw new IOException("Snowflake connections file " + file + " not found");
            }
            return Map.of();
        }
        final Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = sections.computeIfAbsent("", k -> new LinkedHashMap<>());
        for (final String raw : Files.readAllLines(file))
        {
            final String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]"))
            {
                current = sections.computeIfAbsent(unquote(line.substring(1, line.length() - 1).strip()),
                    k -> new LinkedHashMap<>());
                continue;
            }
            final int eq = line.indexOf('=');
            if (eq > 0)
            {
                current.put(line.substring(0, eq).strip().toLowerCase(Locale.ROOT),
                    unquote(line.substring(eq + 1).strip()));
            }
        }
        final String name = config.isSet("connection") ? config.string("connection") :
            env.getOrDefault("SNOWFLAKE_DEFAULT_CONNECTION_NAME", sections.get("").getOrDefault(
                "default_connection_name", "default"));
        final Map<String, String> section = sections.get(name);
        if (section == null)
        {
            if (config.isSet("connection"))
            {
                throw new IOException("no connection [" + name + "] in " + file + " (found: " +
                    String.join(", ", sections.keySet()).replaceFirst("^, ", "") + ")");
            }
            return Map.of();
        }
        final Map<String, String> out = new LinkedHashMap<>(section);
        // the connections file spells some keys its own way
        if (out.containsKey("private_key_path"))
        {
            out.putIfAbsent("private_key_file", out.get("private_key_path"));
        }
        if (out.containsKey("private_key_file_pwd"))
        {
            out.putIfAbsent("private_key_passphrase", out.get("private_key_file_pwd"));
        }
        return out;
    }

    private static String unquote(final String s)
    {
        final String v = s.replaceFirst("\\s+#.*$", "");
        return v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'")) ?
            v.substring(1, v.length() - 1) : v;
    }

    String get(final String key)
    {
        return values.get(key);
    }

    /**
     * @throws IllegalStateException naming exactly what is missing and every place it can be set.
     */
    void check()
    {
        final StringBuilder missing = new StringBuilder();
        if (url == null && get("account") == null)
        {
            missing.append("account (SNOWFLAKE_ACCOUNT)");
        }
        if (get("user") == null)
        {
            missing.append(missing.length() > 0 ? ", " : "").append("user (SNOWFLAKE_USER)");
        }
        if (get("password") == null && get("private_key_file") == null)
        {
            missing.append(missing.length() > 0 ? ", " : "").append("password (SNOWFLAKE_PASSWORD) or a key pair " +
                "(SNOWFLAKE_PRIVATE_KEY_FILE, SNOWFLAKE_PRIVATE_KEY_PASSPHRASE)");
        }
        if (missing.length() > 0)
        {
            throw new IllegalStateException("Snowflake credentials missing: " + missing + "; set them in the " +
                "environment, in the sink's config, or in a connection of ~/.snowflake/connections.toml");
        }
    }

    /** @return the JDBC URL: the configured one, or the account's. */
    String url()
    {
        return url != null ? url : "jdbc:snowflake://" + get("account") + ".snowflakecomputing.com/";
    }

    /** @return the driver's connection properties; secrets included, so never log them. */
    Properties properties()
    {
        final Properties p = new Properties();
        p.setProperty("user", get("user"));
        if (get("private_key_file") != null)
        {
            p.setProperty("authenticator", "SNOWFLAKE_JWT");
            p.setProperty("private_key_file", get("private_key_file"));
            if (get("private_key_passphrase") != null)
            {
                p.setProperty("private_key_pwd", get("private_key_passphrase"));
            }
        }
        else
        {
            p.setProperty("password", get("password"));
        }
        putIfSet(p, "role", "role");
        putIfSet(p, "warehouse", "warehouse");
        putIfSet(p, "db", "database");
        putIfSet(p, "schema", "schema");
        p.setProperty("application", "DataForge");
        return p;
    }

    private void putIfSet(final Properties p, final String property, final String key)
    {
        if (get(key) != null)
        {
            p.setProperty(property, get(key));
        }
    }

    /** @return the secrets to mask in any message. */
    String[] secrets()
    {
        return new String[] {get("password"), get("private_key_passphrase")};
    }
}

package dev.dataforge.connectors.jdbc;

import dev.dataforge.api.config.ConfigException;
import dev.dataforge.api.config.ConfigOption;
import dev.dataforge.api.config.ConfigSpec;
import dev.dataforge.api.config.ConfigValues;
import dev.dataforge.api.lookup.LookupFactory;
import dev.dataforge.api.lookup.LookupRows;
import dev.dataforge.api.lookup.LookupSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code type: jdbc} lookups: a table or a query of any database with a JDBC driver on the class path (PostgreSQL,
 * DuckDB, Snowflake through its driver, ...), loaded at start and, with {@code refresh}, reloaded on an interval
 * (whole, or with {@code incremental_by} only the rows changed since).
 */
public final class JdbcLookupFactory implements LookupFactory
{
    private static final ConfigOption.Type STRING = ConfigOption.Type.STRING;

    private static final ConfigSpec SPEC = new ConfigSpec("jdbc", "A table or query of a SQL database (any JDBC " +
        "driver on the class path), loaded into memory at start and, with 'refresh', reloaded off the hot path and " +
        "swapped in whole.", List.of(
        ConfigOption.of("url", STRING, "JDBC URL").required().example("jdbc:postgresql://db:5432/crm"),
        ConfigOption.of("user", STRING, "user name"),
        ConfigOption.of("password", STRING, "password").secret().example("${DB_PASSWORD}"),
        ConfigOption.of("table", STRING, "the table to load whole (or 'query')").example("user_profiles"),
        ConfigOption.of("query", STRING, "the SELECT whose rows are the lookup (or 'table')")
            .example("SELECT user_id, tier, country FROM profiles WHERE active"),
        ConfigOption.of("key", STRING, "the key column; its values must be unique and not empty").required()
            .example("user_id"),
        ConfigOption.of("columns", ConfigOption.Type.MAP, "column types (long, int, double, decimal(S), " +
            "string(N), boolean, timestamp); columns left out are inferred from the rows at start (strings get " +
            "room to grow when 'refresh' is set)").example("{tier: string(12)}"),
        ConfigOption.of("refresh", ConfigOption.Type.DURATION, "reload this often while the pipeline runs; 0: " +
            "load once at start").defaultValue("0s").example("5m"),
        ConfigOption.of("incremental_by", STRING, "with 'refresh': a column that grows with every change (an " +
            "updated_at timestamp, a version number): each refresh reads only rows above the highest value seen " +
            "and merges them by key (a deleted row stays until a restart)").example("updated_at"),
        ConfigOption.of("required", ConfigOption.Type.BOOLEAN, "false: a database down at start gives an empty " +
            "table (every column, the key too, declared in 'columns') and the refresh keeps trying")
            .defaultValue("true")));

    @Override
    public String type()
    {
        return "jdbc";
    }

    @Override
    public ConfigSpec spec()
    {
        return SPEC;
    }

    @Override
    public LookupRows load(final String name, final ConfigValues config, final Path baseDirectory) throws Exception
    {
        try (LookupSource source = open(name, config, baseDirectory))
        {
            return source.initial();
        }
    }

    @Override
    public LookupSource open(final String name, final ConfigValues config, final Path baseDirectory)
        throws Exception
    {
        if (config.isSet("table") == config.isSet("query"))
        {
            throw new ConfigException(config.location(config.isSet("query") ? "query" : "table"), config.where() +
                ": set one of 'table' and 'query'");
        }
        final Duration refresh = config.duration("refresh");
        if (refresh.isNegative())
        {
            throw new ConfigException(config.location("refresh"), config.where() + ": 'refresh' must be 0 or more");
        }
        if (config.isSet("incremental_by") && refresh.isZero())
        {
            throw new ConfigException(config.location("incremental_by"), config.where() + ": 'incremental_by' " +
                "needs 'refresh' (how often to read the changed rows)");
        }
        final String table = config.isSet("table") ? config.string("table").trim() : null;
        if (table != null && !table.matches("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)*"))
        {
            throw new ConfigException(config.location("table"), config.where() + ": 'table' must be a table name " +
                "(schema.table), not '" + table + "'; use 'query' for anything else");
        }
        final JdbcLookupSource source = new JdbcLookupSource(config, table != null ? "SELECT * FROM " + table :
            config.string("query"), table != null ? "table " + table : "query", refresh);
        try
        {
            source.load();
            return source;
        }
        catch (final Exception e)
        {
            source.close();
            throw e;
        }
    }
}

package dev.dataforge.api.config;

import java.util.List;
import java.util.Locale;

/**
 * One typed option of a connector's or stage's config: name, type, default, description, example. Both the
 * validation of a config block and the README's connector reference are generated from these.
 */
public final class ConfigOption
{
    public enum Type
    {
        STRING, INT, LONG, DOUBLE, BOOLEAN,
        /** {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
        DURATION,
        /** {@code 512}, {@code 64KiB}, {@code 16MiB}, {@code 1GiB}. */
        SIZE,
        /** one of {@link #allowed()}. */
        ENUM,
        /** a list of scalars, or one scalar taken as a list of one. */
        LIST,
        /** a map of names to scalars. */
        MAP,
        /** a file path, resolved against the pipeline file's directory. */
        PATH
    }

    private final String name;
    private final Type type;
    private final boolean required;
    private final String defaultValue;
    private final String description;
    private final String example;
    private final boolean secret;
    private final List<String> allowed;

    private ConfigOption(
        final String name,
        final Type type,
        final boolean required,
        final String defaultValue,
        final String description,
        final String example,
        final boolean secret,
        final List<String> allowed)
    {
        this.name = name;
        this.type = type;
        this.required = required;
        this.defaultValue = defaultValue;
        this.description = description;
        this.example = example;
        this.secret = secret;
        this.allowed = allowed;
    }

    public static ConfigOption of(final String name, final Type type, final String description)
    {
        return new ConfigOption(name, type, false, null, description, null, false, List.of());
    }

    public static ConfigOption oneOf(final String name, final String description, final String... allowed)
    {
        return new ConfigOption(name, Type.ENUM, false, null, description, null, false, List.of(allowed));
    }

    public ConfigOption required()
    {
        return new ConfigOption(name, type, true, defaultValue, description, example, secret, allowed);
    }

    public ConfigOption defaultValue(final String value)
    {
        return new ConfigOption(name, type, required, value, description, example, secret, allowed);
    }

    public ConfigOption example(final String value)
    {
        return new ConfigOption(name, type, required, defaultValue, description, value, secret, allowed);
    }

    /** Marks a password, key or token: its value never appears in logs, errors, metrics or summaries. */
    public ConfigOption secret()
    {
        return new ConfigOption(name, type, required, defaultValue, description, example, true, allowed);
    }

    public String name()
    {
        return name;
    }

    public Type type()
    {
        return type;
    }

    public boolean isRequired()
    {
        return required;
    }

    /** @return the default as written in config, or null. */
    public String defaultValue()
    {
        return defaultValue;
    }

    public String description()
    {
        return description;
    }

    public String example()
    {
        return example;
    }

    public boolean isSecret()
    {
        return secret;
    }

    public List<String> allowed()
    {
        return allowed;
    }

    /** @return the type as the reference docs show it. */
    public String typeName()
    {
        return type == Type.ENUM ? String.join(" | ", allowed) : type.name().toLowerCase(Locale.ROOT);
    }
}

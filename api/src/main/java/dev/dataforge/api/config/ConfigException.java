package dev.dataforge.api.config;

/**
 * A config or command-line input that cannot be used. Its message is what the user sees:
 * {@code file:line:column: what is wrong}, with no stack trace.
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final Location location;
    private final String detail;

    public ConfigException(final Location location, final String detail)
    {
        super(location + ": " + detail, null, false, false);
        this.location = location;
        this.detail = detail;
    }

    public ConfigException(final Location location, final String detail, final Throwable cause)
    {
        super(location + ": " + detail, cause, false, false);
        this.location = location;
        this.detail = detail;
    }

    public Location location()
    {
        return location;
    }

    /** @return the message without its location. */
    public String detail()
    {
        return detail;
    }
}

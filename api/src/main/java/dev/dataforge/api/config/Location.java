package dev.dataforge.api.config;

/**
 * A place in a config file, 1-based, as editors show it.
 */
public final class Location
{
    public static final Location UNKNOWN = new Location("<unknown>", 0, 0);

    private final String file;
    private final int line;
    private final int column;

    public Location(final String file, final int line, final int column)
    {
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public String file()
    {
        return file;
    }

    public int line()
    {
        return line;
    }

    public int column()
    {
        return column;
    }

    /** @return the location {@code n} columns to the right on the same line. */
    public Location plusColumns(final int n)
    {
        return new Location(file, line, column + n);
    }

    @Override
    public String toString()
    {
        return file + ":" + line + ":" + column;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Location && ((Location)o).line == line && ((Location)o).column == column &&
            ((Location)o).file.equals(file);
    }

    @Override
    public int hashCode()
    {
        return file.hashCode() * 31 * 31 + line * 31 + column;
    }
}

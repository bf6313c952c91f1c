package dev.dataforge.api.lookup;

/**
 * Lookup data that cannot be loaded. Its message is what the user sees, with no stack trace:
 * {@code path:line: column 'x': what is wrong} (line and column when known).
 */
public final class LookupException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String column;
    private final String detail;

    /**
     * @param file   the data file as the user named it.
     * @param line   1-based line, or 0 when the problem is with the whole file.
     * @param column the column (CSV) or field (JSON lines) in question, or null.
     * @param detail what is wrong.
     */
    public LookupException(final String file, final int line, final String column, final String detail)
    {
        this(file, line, column, detail, null);
    }

    public LookupException(
        final String file, final int line, final String column, final String detail, final Throwable cause)
    {
        super(format(file, line, column, detail), cause, false, false);
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    private static String format(final String file, final int line, final String column, final String detail)
    {
        final StringBuilder sb = new StringBuilder(file);
        if (line > 0)
        {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (column != null)
        {
            sb.append(column).append(": ");
        }
        return sb.append(detail).toString();
    }

    public String file()
    {
        return file;
    }

    /** @return 1-based line, 0 when not about one line. */
    public int line()
    {
        return line;
    }

    /** @return {@code column 'x'} or {@code field 'x'}, or null. */
    public String column()
    {
        return column;
    }

    public String detail()
    {
        return detail;
    }
}

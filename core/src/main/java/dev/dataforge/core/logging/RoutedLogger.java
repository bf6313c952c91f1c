package dev.dataforge.core.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger whose lines {@link Log} routes: DataForge's to the console, the libraries' to their file. */
final class RoutedLogger extends LegacyAbstractLogger
{
    private static final long serialVersionUID = 1L;

    RoutedLogger(final String name)
    {
        this.name = name;
    }

    @Override
    protected String getFullyQualifiedCallerName()
    {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(final Level level, final Marker marker, final String pattern,
        final Object[] arguments, final Throwable error)
    {
        Log.write(name, level, pattern == null ? "null" : MessageFormatter.basicArrayFormat(pattern, arguments),
            error);
    }

    @Override
    public boolean isTraceEnabled()
    {
        return Log.enabled(name, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled()
    {
        return Log.enabled(name, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled()
    {
        return Log.enabled(name, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled()
    {
        return Log.enabled(name, Level.WARN);
    }

    @Override
    public boolean isErrorEnabled()
    {
        return Log.enabled(name, Level.ERROR);
    }
}

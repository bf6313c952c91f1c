package dev.dataforge.core.logging;

import org.slf4j.event.Level;

import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * Drivers that log through {@code java.util.logging} (PostgreSQL's, Snowflake's) go through {@link Log} too, so
 * that their lines land in the library log instead of on the console.
 */
final class JulBridge extends Handler
{
    private static boolean installed;

    static synchronized void install()
    {
        if (installed)
        {
            return;
        }
        installed = true;
        final java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        for (final Handler h : root.getHandlers())
        {
            root.removeHandler(h);
        }
        root.setLevel(java.util.logging.Level.WARNING);
        root.addHandler(new JulBridge());
        java.util.logging.Logger.getLogger("dev.dataforge").setLevel(java.util.logging.Level.INFO);
    }

    @Override
    public void publish(final LogRecord r)
    {
        final String name = r.getLoggerName() == null ? "jul" : r.getLoggerName();
        final int v = r.getLevel().intValue();
        final Level level = v >= java.util.logging.Level.SEVERE.intValue() ? Level.ERROR :
            v >= java.util.logging.Level.WARNING.intValue() ? Level.WARN :
            v >= java.util.logging.Level.INFO.intValue() ? Level.INFO :
            v >= java.util.logging.Level.FINE.intValue() ? Level.DEBUG : Level.TRACE;
        if (!Log.enabled(name, level))
        {
            return;
        }
        String message = r.getMessage() == null ? "" : r.getMessage();
        if (r.getParameters() != null && r.getParameters().length > 0)
        {
            try
            {
                message = java.text.MessageFormat.format(message, r.getParameters());
            }
            catch (final IllegalArgumentException notAPattern)
            {
                // leave it as it is
            }
        }
        Log.write(name, level, message, r.getThrown());
    }

    @Override
    public void flush()
    {
    }

    @Override
    public void close()
    {
    }
}

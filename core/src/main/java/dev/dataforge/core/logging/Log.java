package dev.dataforge.core.logging;

import org.slf4j.event.Level;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Where log lines go. DataForge's own lines ({@code dev.dataforge.*}, INFO and above) go to the console (stderr);
 * third-party libraries' (the embedded Kafka broker, the Kafka clients, database drivers; WARN and above) go to the
 * console until {@link #configure} names a file, then to that file only, with one console line saying where. Lines
 * are text ({@code 23:36:13.123 [thread] INFO logger - message}) or, with {@link Format#JSON}, one JSON object per
 * line for log shippers.
 * <p>
 * Levels: {@code -Ddataforge.log.level=debug} for DataForge's own lines, {@code -Ddataforge.log.libraries=info} for
 * the libraries'.
 */
public final class Log
{
    /** How lines are written. */
    public enum Format
    {
        TEXT, JSON;

        /** @throws IllegalArgumentException naming the accepted values. */
        public static Format parse(final String text)
        {
            for (final Format f : values())
            {
                if (f.name().equalsIgnoreCase(text))
                {
                    return f;
                }
            }
            throw new IllegalArgumentException("log format '" + text + "' is not one of text, json");
        }
    }

    private static final String OWN = "dev.dataforge";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
        .withZone(ZoneId.systemDefault());

    private static final Level OWN_LEVEL = level("dataforge.log.level", Level.INFO);
    private static final Level LIBRARY_LEVEL = level("dataforge.log.libraries", Level.WARN);

    private static volatile Format format = Format.TEXT;
    private static volatile PrintStream console = System.err;
    private static Path libraryFile;
    private static OutputStream library;
    private static boolean libraryAnnounced;

    private Log()
    {
    }

    private static Level level(final String property, final Level otherwise)
    {
        final String v = System.getProperty(property);
        if (v == null || v.isBlank())
        {
            return otherwise;
        }
        try
        {
            return Level.valueOf(v.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("-D" + property + "=" + v + " is not a level (error, warn, info, debug, trace): " +
                "using " + otherwise);
            return otherwise;
        }
    }

    /**
     * @param lineFormat  text or JSON lines, for every line from now on.
     * @param libraryLog  where the libraries' lines go from now on (created with its directories when the first
     *                    line comes), or null for the console.
     */
    public static synchronized void configure(final Format lineFormat, final Path libraryLog)
    {
        format = lineFormat;
        closeLibraryLog();
        libraryFile = libraryLog;
        libraryAnnounced = false;
        JulBridge.install();
    }

    /** Lines go to {@code out} instead of stderr until {@link #reset()} (tests). */
    public static synchronized void console(final PrintStream out)
    {
        console = out;
    }

    /** Closes the library log file; later library lines go to the console. */
    public static synchronized void reset()
    {
        closeLibraryLog();
        libraryFile = null;
        format = Format.TEXT;
        console = System.err;
    }

    private static void closeLibraryLog()
    {
        if (library != null)
        {
            try
            {
                library.close();
            }
            catch (final IOException ignored)
            {
                // nothing left to write to
            }
            library = null;
        }
    }

    static boolean own(final String logger)
    {
        return logger.startsWith(OWN) && (logger.length() == OWN.length() || logger.charAt(OWN.length()) == '.');
    }

    static boolean enabled(final String logger, final Level level)
    {
        return level.toInt() >= (own(logger) ? OWN_LEVEL : LIBRARY_LEVEL).toInt();
    }

    static void write(final String logger, final Level level, final String message, final Throwable error)
    {
        final long now = System.currentTimeMillis();
        final String thread = Thread.currentThread().getName();
        final String line = format == Format.JSON ? json(now, level, logger, thread, message, error) :
            text(now, level, logger, thread, message, error);
        if (own(logger))
        {
            console.print(line);
            return;
        }
        synchronized (Log.class)
        {
            if (libraryFile == null)
            {
                console.print(line);
                return;
            }
            try
            {
                if (library == null)
                {
                    Files.createDirectories(libraryFile.toAbsolutePath().getParent());
                    library = Files.newOutputStream(libraryFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                library.write(line.getBytes(StandardCharsets.UTF_8));
                library.flush();
                if (!libraryAnnounced)
                {
                    libraryAnnounced = true;
                    console.print(format == Format.JSON ?
                        json(now, Level.INFO, Log.class.getName(), thread, "library log lines go to " + libraryFile,
                            null) :
                        text(now, Level.INFO, Log.class.getName(), thread, "library log lines (" +
                            LIBRARY_LEVEL + " and above) go to " + libraryFile, null));
                }
            }
            catch (final IOException e)
            {
                console.print(text(now, Level.WARN, Log.class.getName(), thread, "cannot write the library log " +
                    libraryFile + " (" + e.getMessage() + "): its lines go to the console", null));
                libraryFile = null;
                console.print(line);
            }
        }
    }

    private static String text(final long millis, final Level level, final String logger, final String thread,
        final String message, final Throwable error)
    {
        final StringBuilder b = new StringBuilder(96 + message.length());
        b.append(TIME.format(Instant.ofEpochMilli(millis))).append(" [").append(thread).append("] ")
            .append(level).append(' ').append(logger).append(" - ").append(message).append(System.lineSeparator());
        if (error != null)
        {
            b.append(stack(error));
        }
        return b.toString();
    }

    private static String json(final long millis, final Level level, final String logger, final String thread,
        final String message, final Throwable error)
    {
        final StringBuilder b = new StringBuilder(128 + message.length());
        b.append("{\"time\":\"").append(Instant.ofEpochMilli(millis)).append("\",\"level\":\"").append(level)
            .append("\",\"logger\":");
        quote(b, logger);
        b.append(",\"thread\":");
        quote(b, thread);
        b.append(",\"message\":");
        quote(b, message);
        if (error != null)
        {
            b.append(",\"error\":");
            quote(b, error.toString());
            b.append(",\"stack\":");
            quote(b, stack(error));
        }
        return b.append('}').append('\n').toString();
    }

    private static String stack(final Throwable error)
    {
        final java.io.StringWriter w = new java.io.StringWriter();
        error.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    private static void quote(final StringBuilder b, final String s)
    {
        b.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}

package dev.dataforge.api;

/**
 * A command a connector module adds to the command line ({@code ./run.sh kafka}, ...). Found with
 * {@link java.util.ServiceLoader}; the command is a picocli {@code @Command} object.
 */
public interface CommandProvider
{
    /** @return the command's name on the command line. */
    String name();

    /** @return a new picocli command object. */
    Object command();
}

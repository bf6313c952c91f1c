package dev.dataforge.tuning.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The host's kernel and system files ({@code /proc}, {@code /sys}, {@code /etc}) read under one root directory:
 * {@code /} on the host itself, a fixture tree in tests. Every host check reads through this class, and none of its
 * methods throws: a file that is absent or cannot be read is {@code null}, a directory that is absent has no entries.
 */
public final class HostFiles
{
    /** Orders {@code cpu2} before {@code cpu10} and IRQ {@code 9} before {@code 10}. */
    private static final Comparator<String> NATURAL = Comparator.comparingInt(String::length)
        .thenComparing(Comparator.naturalOrder());

    private final Path root;

    /**
     * @param root the directory that stands for {@code /}.
     */
    public HostFiles(final Path root)
    {
        this.root = root;
    }

    /** @return the files of this host, rooted at {@code /}. */
    public static HostFiles system()
    {
        return new HostFiles(Path.of("/"));
    }

    public Path root()
    {
        return root;
    }

    /**
     * @param path an absolute path as on the host, such as {@code /proc/cmdline}.
     * @return the file's text without trailing white space, or null when it is absent or cannot be read.
     */
    public String read(final String path)
    {
        final Path file = resolve(path);
        if (!Files.isRegularFile(file))
        {
            return null;
        }
        // a stream, not Files.readAllBytes: that sizes its first read by the file's size, 0 for procfs files, and
        // some kernels answer a read at offset 1 of a sysctl file with end of file ("60" read as "6")
        try (InputStream in = Files.newInputStream(file))
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
        }
        catch (final IOException | SecurityException e)
        {
            return null;
        }
    }

    /** @return true when {@code path} is a directory on the host. */
    public boolean isDirectory(final String path)
    {
        return Files.isDirectory(resolve(path));
    }

    /**
     * @param dir     an absolute directory path as on the host.
     * @param pattern the names to keep, matched whole.
     * @return the matching entry names in natural order ({@code cpu2} before {@code cpu10}); empty when the
     * directory is absent or cannot be read.
     */
    public List<String> list(final String dir, final String pattern)
    {
        final Pattern names = Pattern.compile(pattern);
        final List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(resolve(dir)))
        {
            for (final Path entry : entries)
            {
                final String name = entry.getFileName().toString();
                if (names.matcher(name).matches())
                {
                    out.add(name);
                }
            }
        }
        catch (final IOException | SecurityException e)
        {
            return List.of();
        }
        out.sort(NATURAL);
        return out;
    }

    private Path resolve(final String path)
    {
        return root.resolve(path.startsWith("/") ? path.substring(1) : path);
    }
}

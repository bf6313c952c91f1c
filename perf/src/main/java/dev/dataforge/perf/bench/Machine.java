package dev.dataforge.perf.bench;

import dev.dataforge.tuning.host.JvmInfo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a report says about where it was measured: CPU, cores, memory, OS, JDK, collector and JVM flags. */
final class Machine
{
    private Machine()
    {
    }

    static Map<String, String> describe()
    {
        final Map<String, String> out = new LinkedHashMap<>();
        out.put("CPU", cpuModel());
        out.put("cores (available to the JVM)", Integer.toString(Runtime.getRuntime().availableProcessors()));
        out.put("memory", memory());
        out.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
            System.getProperty("os.arch"));
        final JvmInfo jvm = JvmInfo.current();
        out.put("JDK", jvm.vendor() + " " + jvm.vmName() + " " + jvm.version());
        out.put("GC", jvm.collector() + " (" + String.join(", ", jvm.collectors()) + ")");
        out.put("JVM flags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        out.put("max heap", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        return out;
    }

    private static String cpuModel()
    {
        for (final String line : lines("/proc/cpuinfo"))
        {
            if (line.startsWith("model name"))
            {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    private static String memory()
    {
        for (final String line : lines("/proc/meminfo"))
        {
            if (line.startsWith("MemTotal:"))
            {
                final long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format(java.util.Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
            }
        }
        return "unknown";
    }

    private static List<String> lines(final String file)
    {
        try
        {
            return Files.readAllLines(Path.of(file));
        }
        catch (final IOException | RuntimeException e)
        {
            return List.of();
        }
    }
}

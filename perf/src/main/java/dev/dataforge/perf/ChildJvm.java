package dev.dataforge.perf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The harnesses' child processes: a JVM like this one, and a Kafka broker ({@code dataforge kafka}) coming up. */
public final class ChildJvm
{
    private ChildJvm()
    {
    }

    /**
     * @return this JVM's {@code java} and the flags a child needs to run DataForge as this JVM does (module exports
     * and opens, native access, Chronicle's): the start of a child's command line.
     */
    public static List<String> java()
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("--sun-misc") ||
                a.startsWith("-Dchronicle"))
            {
                cmd.add(a);
            }
        }
        return cmd;
    }

    /**
     * Reads a broker's standard output until the {@code kafka} command says it is ready, for up to 120 s.
     *
     * @return that line ({@code Kafka broker ready ... bootstrap HOST:PORT ...}), or null when the output ended first
     * (the broker exited).
     */
    public static String brokerReady(final Process broker) throws Exception
    {
        final BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(),
            StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                for (String l; (l = out.readLine()) != null; )
                {
                    if (l.startsWith("Kafka broker ready"))
                    {
                        return l;
                    }
                }
                return null;
            }
            catch (final IOException e)
            {
                return null;
            }
        }).get(120, TimeUnit.SECONDS);
    }
}

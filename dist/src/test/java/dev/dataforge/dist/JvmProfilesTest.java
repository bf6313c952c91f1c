package dev.dataforge.dist;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM profiles of {@code ops/jvm/*.flags} that {@code run.sh --profile NAME} applies: each line a well-formed
 * flag with its reason, the names the ones run.sh knows, and every flag accepted by this JVM (and by each java named
 * in {@code DATAFORGE_PROFILE_JDKS}, colon-separated, such as a JDK 25 beside the JDK 17 that runs the build).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JvmProfilesTest
{
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path PROFILES = REPO.resolve("ops/jvm");
    /** A flag, then at least one blank, then {@code #} and its reason. */
    private static final Pattern LINE = Pattern.compile("(\\S+)\\s+#\\s*(\\S.*)");
    private static final Pattern FLAG = Pattern.compile(
        "-XX:[+-][A-Za-z]\\w*|-XX:[A-Za-z]\\w*=[\\w.:%/-]+|-Xm[sxn]\\d+[kKmMgG]?|-Xss\\d+[kKmMgG]?|-D[\\w.]+=\\S*");
    /** Flags that one of JDK 17 and 25 refuses or ignores. */
    private static final Set<String> NOT_ON_BOTH = Set.of("ZGenerational", "UseBiasedLocking", "UseConcMarkSweepGC",
        "UseParallelOldGC", "UseRTMLocking", "G1UseAdaptiveConcRefinement");

    private static Map<String, List<String>> profiles;

    @BeforeAll
    static void read() throws IOException
    {
        profiles = new TreeMap<>();
        try (var files = Files.list(PROFILES))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".flags")).toList())
            {
                profiles.put(file.getFileName().toString().replace(".flags", ""), flags(file));
            }
        }
    }

    /** @return the profile's flags, each line checked. */
    private static List<String> flags(final Path file) throws IOException
    {
        final List<String> flags = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            final String where = file.getFileName() + ":" + (i + 1) + ": ";
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), where + "one flag, then '# why': " + line);
            final String flag = m.group(1);
            assertTrue(FLAG.matcher(flag).matches(), where + "not a JVM flag: " + flag);
            final String name = flag.replaceAll("^-XX:[+-]?|=.*$", "").replaceAll("^-Xm([sxn]).*", "-Xm$1");
            assertFalse(NOT_ON_BOTH.contains(name), where + flag + " is not valid on both JDK 17 and JDK 25");
            assertTrue(names.add(name), where + "set twice: " + name);
            assertTrue(m.group(2).length() >= 20, where + "say why: " + line);
            flags.add(flag);
        }
        return flags;
    }

    @Test
    void theProfilesAreTheDocumentedThreeAndEachHasFlags() throws IOException
    {
        assertEquals(Set.of("low-latency", "throughput", "small-host"), profiles.keySet());
        final String readme = Files.readString(REPO.resolve("README.md"));
        profiles.forEach((name, flags) ->
        {
            assertFalse(flags.isEmpty(), name);
            assertTrue(readme.contains("`" + name + "`"), "the README documents " + name);
            flags.forEach(f -> assertTrue(readme.contains(f), "the README names " + name + "'s " + f));
        });
    }

    @Test
    void runShKnowsTheseNamesAndRefusesOthers() throws Exception
    {
        final String known = String.join(", ", profiles.keySet());
        final Outcome flag = bash(Map.of(), "--profile", "no-such-profile", "tune", "check");
        assertEquals(2, flag.status(), flag.output());
        assertEquals("run.sh: --profile: unknown JVM profile 'no-such-profile' (known: " + known + ")",
            flag.output().strip());
        final Outcome env = bash(Map.of("DATAFORGE_PROFILE", "../ops/jvm/low-latency"), "tune", "check");
        assertEquals(2, env.status(), env.output());
        assertEquals("run.sh: DATAFORGE_PROFILE: unknown JVM profile '../ops/jvm/low-latency' (known: " + known +
            ")", env.output().strip());
        final Outcome none = bash(Map.of(), "--profile");
        assertEquals(2, none.status(), none.output());
        assertTrue(none.output().contains("--profile needs a name (known: " + known + ")"), none.output());
    }

    @Test
    void everyFlagIsAcceptedByThisJvmAndTheOthersNamed() throws Exception
    {
        final List<String> javas = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        final String more = System.getenv("DATAFORGE_PROFILE_JDKS");
        if (more != null && !more.isBlank())
        {
            javas.addAll(List.of(more.split(":")));
        }
        for (final String java : javas)
        {
            for (final Map.Entry<String, List<String>> p : profiles.entrySet())
            {
                final List<String> command = new ArrayList<>(List.of(java));
                command.addAll(p.getValue());
                command.addAll(List.of("-Xms64m", "-Xmx64m", "-version")); // as JAVA_OPTS would: a later flag wins
                final Outcome o = run(new ProcessBuilder(command));
                assertEquals(0, o.status(), java + " refuses profile " + p.getKey() + ": " + o.output());
                for (final String refusal : List.of("Unrecognized", "Ignoring option", "deprecated", "obsolete"))
                {
                    assertFalse(o.output().contains(refusal), java + ", profile " + p.getKey() + ": " + o.output());
                }
            }
        }
    }

    record Outcome(int status, String output)
    {
    }

    /** Runs run.sh with {@code args}; each case here exits before run.sh builds or starts anything. */
    private static Outcome bash(final Map<String, String> env, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("bash", REPO.resolve("run.sh").toString()));
        command.addAll(List.of(args));
        final ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("DATAFORGE_PROFILE");
        pb.environment().putAll(env);
        return run(pb);
    }

    private static Outcome run(final ProcessBuilder pb) throws Exception
    {
        final Process p = pb.redirectErrorStream(true).start();
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Outcome(p.waitFor(), output);
    }
}

package dev.dataforge.core.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tune check} against the fixture hosts of the tuning module ({@code --host-root}, the hidden option for
 * tests): its exit status, its lines, and a pipeline's layout.
 */
class TuneCheckCommandTest
{
    private static final Path HOSTS = Path.of("../tuning/src/test/resources/hosts").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private static MainTest.Outcome run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
        return new MainTest.Outcome(status, out.toString(), err.toString());
    }

    private static String host(final String name)
    {
        final Path root = HOSTS.resolve(name);
        assertTrue(Files.isDirectory(root), "fixture host " + root);
        return root.toString();
    }

    private Path pipeline(final String runtime) throws Exception
    {
        final Path file = dir.resolve("p.yaml");
        Files.writeString(file, "pipeline:\n" +
            "  name: tune-test\n" +
            "  source: {type: generator, config: {seed: 1}}\n" +
            "  sink: {type: blackhole}\n" +
            "  runtime:\n" + runtime);
        return file;
    }

    @Test
    void aTunedHostIsReady()
    {
        final MainTest.Outcome o = run("tune", "check", "--host-root", host("tuned-32"));
        assertEquals(Main.OK, o.status(), o.out() + o.err());
        assertTrue(o.out().startsWith("tune check of " + host("tuned-32") + ": 11 items"), o.out());
        assertTrue(o.out().contains("\nok    isolated cores  4-31 (housekeeping 0-3)\n"), o.out());
        assertTrue(o.out().contains("\nok    governor        performance on 32 CPUs (0-31)\n"), o.out());
        assertTrue(o.out().contains("\nverdict: ready for a low-latency pipeline"), o.out());
        assertEquals("", o.err());
    }

    @Test
    void aSmallVmIsNotReadyAndSaysWhy()
    {
        final MainTest.Outcome o = run("tune", "check", "--host-root", host("cloud-vm-2"));
        assertEquals(Main.FAILED, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("\nfail  cpus            2 online (0-1)\n" +
            "      found:  /sys/devices/system/cpu/online: 0-1; present: 0-1\n"), o.out());
        assertTrue(o.out().contains("\nn/a   governor        no cpufreq (a VM?)\n"), o.out());
        assertTrue(o.out().contains("\nwarn  clock source    kvm-clock (a KVM guest)\n"), o.out());
        assertTrue(o.out().contains("\nverdict: NOT READY for a low-latency pipeline: 1 failed (cpus)"), o.out());
    }

    @Test
    void aBadHostFailsOnEachMistake()
    {
        final MainTest.Outcome o = run("tune", "check", "--host-root", host("bad-16"));
        assertEquals(Main.FAILED, o.status());
        for (final String line : new String[] {"fail  governor        powersave on 15 CPUs (0-14)",
            "fail  swap            on, swappiness 60", "fail  irq affinity    4 of 7 IRQs may run on isolated CPUs",
            "fail  clock source    hpet (a slow timer)"})
        {
            assertTrue(o.out().contains("\n" + line + "\n"), line + " in " + o.out());
        }
    }

    @Test
    void badInputIsExitTwoWithWhatAndWhere() throws Exception
    {
        final MainTest.Outcome option = run("tune", "check", "--bogus");
        assertEquals(Main.BAD_INPUT, option.status());
        assertTrue(option.err().contains("Unknown option: '--bogus'"), option.err());

        final MainTest.Outcome missing = run("tune", "check", "--pipeline", dir.resolve("none.yaml").toString());
        assertEquals(Main.BAD_INPUT, missing.status());
        assertEquals(dir.resolve("none.yaml") + ":0:0: file not found", missing.err().trim());

        final Path bad = pipeline("    stages: {process: {wait: spin, cpu: 5}}\n");
        final MainTest.Outcome invalid = run("tune", "check", "--pipeline", bad.toString(), "--host-root",
            host("tuned-32"));
        assertEquals(Main.BAD_INPUT, invalid.status());
        assertTrue(invalid.err().startsWith(bad + ":6:30: stage 'process' 'wait'"), invalid.err());
        assertEquals("", invalid.out());

        final MainTest.Outcome root = run("tune", "check", "--host-root", dir.resolve("nowhere").toString());
        assertEquals(Main.BAD_INPUT, root.status());
        assertTrue(root.err().contains("is not a directory"), root.err());

        final MainTest.Outcome noCommand = run("tune");
        assertEquals(Main.BAD_INPUT, noCommand.status());
    }

    @Test
    void twoSpinningStagesOnOneCpuAndACpuThatDoesNotExist() throws Exception
    {
        final Path file = pipeline("    stage_threads: dedicated\n" +
            "    stages:\n" +
            "      source: {cpu: 64}\n" +
            "      process: {wait: busy-spin, cpu: 5}\n" +
            "      sink: {wait: busy-spin, cpu: 5}\n");
        final MainTest.Outcome o = run("tune", "check", "--pipeline", file.toString(), "--host-root",
            host("tuned-32"));
        assertEquals(Main.FAILED, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("\nfail  pinned cpus     source (" + file + ":8:15) cpu 64 does not exist " +
            "(CPUs 0-31)\n"), o.out());
        assertTrue(o.out().contains("\nfail  cpu sharing     spinning threads share cpu 5\n" +
            "      found:  cpu 5: process (busy-spin, cpu 5, " + file + ":9:16) and sink (busy-spin, cpu 5, " + file +
            ":10:13)\n"), o.out());
        assertTrue(o.out().contains("verdict: NOT READY for a low-latency pipeline: 2 failed (pinned cpus, " +
            "cpu sharing)"), o.out());
    }

    @Test
    void theExampleLayoutForATunedHostPasses() throws Exception
    {
        final Path example = Path.of("../examples/user-events-tuned.yaml");
        final MainTest.Outcome o = run("tune", "check", "--pipeline", example.toString(), "--host-root",
            host("tuned-32"));
        assertEquals(Main.OK, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("\nok    stage threads   3 threads (dedicated)\n"), o.out());
        assertTrue(o.out().contains("\nok    pinned cpus     4-6, isolated and online\n"), o.out());
        assertTrue(o.out().contains("\nok    spinning stages 2 spinning, 4 CPUs spare\n"), o.out());
        final String readme = Files.readString(Path.of("../README.md"));
        final String yaml = Files.readString(example);
        final String runtime = yaml.substring(yaml.indexOf("  runtime:"));
        assertTrue(readme.contains(runtime), "the README shows the example's runtime block as it is");
        assertFalse(o.out().contains("n/a   pinned cpus"));
    }
}

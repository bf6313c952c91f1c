package dev.dataforge.tuning.host;

import java.nio.file.Files;
import java.nio.file.Path;

/** The fixture hosts under {@code src/test/resources/hosts}: trees of the /proc and /sys files the checks read. */
final class Hosts
{
    /** A tuned 32-CPU host on two NUMA nodes: isolcpus, nohz_full and rcu_nocbs 4-31, performance, THP never. */
    static final String TUNED = "tuned-32";
    /** A cloud VM like the project's machine: 2 vCPUs, no cpufreq, kvm-clock, THP always. */
    static final String CLOUD_VM = "cloud-vm-2";
    /** A badly set 16-CPU host: powersave, IRQs and irqbalance on the isolated CPUs, swap on, hpet, CPU 15 offline. */
    static final String BAD = "bad-16";

    private Hosts()
    {
    }

    static Path root(final String name)
    {
        final Path root = Path.of("src/test/resources/hosts", name).toAbsolutePath();
        if (!Files.isDirectory(root))
        {
            throw new IllegalStateException("no fixture host " + root + " (tests run from the tuning module)");
        }
        return root;
    }

    static HostFiles files(final String name)
    {
        return new HostFiles(root(name));
    }

    /** A JVM as the low-latency profile starts it, so that the JVM's items do not depend on the test's JVM. */
    static JvmInfo lowLatencyJvm()
    {
        return new JvmInfo("17.0.15+6", 17, "Eclipse Adoptium", "OpenJDK 64-Bit Server VM",
            java.util.List.of("ZGC Cycles", "ZGC Pauses"), 4L << 30, 4L << 30, Boolean.TRUE);
    }

    static TuneReport check(final String name, final StageLayout layout)
    {
        return TuneCheck.run(files(name), lowLatencyJvm(), layout);
    }
}

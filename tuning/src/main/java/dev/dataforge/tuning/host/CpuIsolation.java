package dev.dataforge.tuning.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The host's CPUs and which of them are kept for pinned threads: {@code isolcpus} (no scheduler load balancing onto
 * them), {@code nohz_full} (no periodic tick while one thread runs) and {@code rcu_nocbs} (RCU callbacks run
 * elsewhere). The kernel's own view in {@code /sys/devices/system/cpu} wins over the command line where it has one.
 *
 * @param online   the online CPUs; null when unknown.
 * @param present  the CPUs that exist (online or not); null when unknown.
 * @param isolated the isolated CPUs; empty when none.
 * @param nohzFull the CPUs without a periodic tick; empty when none.
 * @param rcuNocbs the CPUs whose RCU callbacks are offloaded; empty when none.
 */
public record CpuIsolation(CpuSet online, CpuSet present, CpuSet isolated, CpuSet nohzFull, CpuSet rcuNocbs)
{
    public static final String CPU_DIR = "/sys/devices/system/cpu";
    /** Fewer online CPUs than this cannot give the source, process and sink stages a core each and keep one. */
    public static final int LOW_LATENCY_MIN_CPUS = 4;

    /** @return the host's CPUs, from sysfs and the kernel command line. */
    public static CpuIsolation read(final HostFiles host, final KernelCommandLine cmdline)
    {
        final CpuSet online = CpuSet.parseList(host.read(CPU_DIR + "/online"));
        CpuSet present = CpuSet.parseList(host.read(CPU_DIR + "/present"));
        if (present == null)
        {
            present = cpuDirectories(host);
        }
        final CpuSet all = online != null ? online : present;
        return new CpuIsolation(online, present,
            either(CpuSet.parseList(host.read(CPU_DIR + "/isolated")), cmdline.cpus("isolcpus", null)),
            either(CpuSet.parseList(host.read(CPU_DIR + "/nohz_full")), cmdline.cpus("nohz_full", null)),
            orEmpty(cmdline.cpus("rcu_nocbs", all)));
    }

    private static CpuSet cpuDirectories(final HostFiles host)
    {
        final List<String> dirs = host.list(CPU_DIR, "cpu[0-9]+");
        if (dirs.isEmpty())
        {
            return null;
        }
        return CpuSet.parseList(String.join(",", dirs).replace("cpu", ""));
    }

    /**
     * @return the sysfs file's set where it names CPUs, else the boot option's: {@code isolcpus=nohz,...} without
     * {@code domain} leaves {@code isolated} empty.
     */
    private static CpuSet either(final CpuSet sysfs, final CpuSet cmdline)
    {
        return sysfs != null && !sysfs.isEmpty() ? sysfs : orEmpty(cmdline);
    }

    private static CpuSet orEmpty(final CpuSet set)
    {
        return set == null ? CpuSet.EMPTY : set;
    }

    /** @return the online CPUs not isolated: where the OS, interrupts and unpinned threads run. */
    public CpuSet housekeeping()
    {
        return online == null ? CpuSet.EMPTY : online.minus(isolated);
    }

    /** @return the items {@code cpus} and {@code isolated cores}. */
    public List<Finding> findings()
    {
        return List.of(cpus(), isolation());
    }

    private Finding cpus()
    {
        if (online == null)
        {
            return new Finding("cpus", Status.NOT_APPLICABLE, "unknown", CPU_DIR + "/online cannot be read",
                "the layout checks need the online CPUs", "run tune check where /sys is mounted");
        }
        final String summary = online.size() + " online (" + online + ")";
        final String found = CPU_DIR + "/online: " + online + "; present: " + present;
        if (online.size() < LOW_LATENCY_MIN_CPUS)
        {
            return new Finding("cpus", Status.FAIL, summary, found,
                "a low-latency layout gives the source, the process stage and the sink stage a core each " +
                    "(stage_threads: dedicated) and keeps at least one for the OS, the JVM's GC and JIT and the " +
                    "Kafka clients' threads; below " + LOW_LATENCY_MIN_CPUS + " CPUs the stages share and must " +
                    "not spin",
                "for low latency, a host with " + LOW_LATENCY_MIN_CPUS + " cores or more (8 or more to isolate " +
                    "some); on this one keep the defaults: wait backoff, stage_threads auto, no cpu pins");
        }
        return new Finding("cpus", Status.OK, summary, found,
            "enough CPUs for a dedicated thread per stage", Finding.NOTHING);
    }

    private Finding isolation()
    {
        final String found = CPU_DIR + "/isolated and /proc/cmdline: isolcpus " + isolated + ", nohz_full " + nohzFull +
            ", rcu_nocbs " + rcuNocbs;
        if (online == null)
        {
            return new Finding("isolated cores", Status.NOT_APPLICABLE, "online CPUs unknown", found,
                "isolation is judged against the online CPUs", Finding.NOTHING);
        }
        if (online.size() < LOW_LATENCY_MIN_CPUS)
        {
            return new Finding("isolated cores", Status.NOT_APPLICABLE, "too few CPUs to isolate any", found,
                "isolating a core of " + online.size() + " would leave too little for the OS and the JVM",
                Finding.NOTHING);
        }
        final String why = "a pinned stage on a CPU the scheduler also uses waits behind other threads and the " +
            "kernel's tick and RCU work (tens of microseconds, sometimes milliseconds)";
        final String change = "boot with isolcpus=managed_irq,domain,C nohz_full=C rcu_nocbs=C for the stage CPUs C " +
            "(keep CPU 0 and one more for the OS), then pin stages there with runtime.stages.<stage>.cpu";
        if (isolated.isEmpty())
        {
            return new Finding("isolated cores", Status.WARN, "none", found, why, change);
        }
        final List<String> gaps = new ArrayList<>();
        if (!nohzFull.containsAll(isolated))
        {
            gaps.add("not nohz_full: " + isolated.minus(nohzFull));
        }
        if (!rcuNocbs.containsAll(isolated))
        {
            gaps.add("not rcu_nocbs: " + isolated.minus(rcuNocbs));
        }
        if (!online.containsAll(isolated))
        {
            gaps.add("not online: " + isolated.minus(online));
        }
        if (housekeeping().isEmpty())
        {
            gaps.add("no CPU left for the OS");
        }
        if (!gaps.isEmpty())
        {
            return new Finding("isolated cores", Status.WARN, isolated + ", " + String.join(", ", gaps), found, why,
                change);
        }
        return new Finding("isolated cores", Status.OK, isolated + " (housekeeping " + housekeeping() + ")", found,
            "pinned stages on these CPUs run without the scheduler's other threads, the tick or RCU callbacks",
            Finding.NOTHING);
    }
}

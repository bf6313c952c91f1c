package dev.dataforge.tuning.host;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM that runs the check: started by {@code run.sh} with the same flags, profile and {@code JAVA_OPTS} as a
 * pipeline would be, so its collector and heap are the pipeline's.
 *
 * @param version     the full version, such as {@code 17.0.15+6-Debian-1deb12u1}.
 * @param feature     the feature release, such as 17.
 * @param vendor      the runtime's vendor.
 * @param vmName      the VM's name, such as {@code OpenJDK 64-Bit Server VM}.
 * @param collectors  the garbage collectors' names as the JVM reports them ({@code G1 Young Generation}, ...).
 * @param initialHeap the initial heap in bytes, or -1 when unknown.
 * @param maxHeap     the maximum heap in bytes, or -1 when unknown.
 * @param preTouch    whether {@code -XX:+AlwaysPreTouch} is on; null when the VM does not say.
 */
public record JvmInfo(String version, int feature, String vendor, String vmName, List<String> collectors,
    long initialHeap, long maxHeap, Boolean preTouch)
{
    /** @return the running JVM, from {@link ManagementFactory}. */
    public static JvmInfo current()
    {
        final List<String> collectors = new ArrayList<>();
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            collectors.add(gc.getName());
        }
        final MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new JvmInfo(Runtime.version().toString(), Runtime.version().feature(),
            System.getProperty("java.vendor"),
            ManagementFactory.getRuntimeMXBean().getVmName(), List.copyOf(collectors), heap.getInit(), heap.getMax(),
            readPreTouch());
    }

    private static Boolean readPreTouch()
    {
        try
        {
            final com.sun.management.HotSpotDiagnosticMXBean hotspot =
                ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hotspot == null ? null : Boolean.valueOf(hotspot.getVMOption("AlwaysPreTouch").getValue());
        }
        catch (final RuntimeException | LinkageError e)
        {
            return null;
        }
    }

    /**
     * @return the collector's family: {@code ZGC}, {@code Shenandoah}, {@code G1}, {@code Parallel} or
     * {@code Serial}; else the first collector's name.
     */
    public String collector()
    {
        final String all = String.join(" ", collectors);
        if (all.contains("ZGC"))
        {
            return "ZGC";
        }
        if (all.contains("Shenandoah"))
        {
            return "Shenandoah";
        }
        if (all.contains("G1"))
        {
            return "G1";
        }
        if (all.contains("PS "))
        {
            return "Parallel";
        }
        if (all.contains("Copy") || all.contains("MarkSweepCompact"))
        {
            return "Serial";
        }
        return collectors.isEmpty() ? "unknown" : collectors.get(0);
    }

    /** @return the items {@code jdk} and {@code gc}. */
    public List<Finding> findings()
    {
        return List.of(jdk(), gc());
    }

    private Finding jdk()
    {
        final String summary = version + " (" + vendor + ")";
        final String found = "java.version " + version + ", vendor " + vendor + ", " + vmName;
        if (feature < 17)
        {
            return new Finding("jdk", Status.FAIL, summary, found, "DataForge needs JDK 17 or later",
                "install JDK 17 or 25 and set JAVA_HOME");
        }
        if (vmName != null && vmName.contains("OpenJ9"))
        {
            return new Finding("jdk", Status.WARN, summary, found,
                "the JVM profiles (ops/jvm/*.flags) are HotSpot flags", "run on a HotSpot JDK (OpenJDK, Temurin, ...)");
        }
        return new Finding("jdk", Status.OK, summary, found,
            "a HotSpot JDK " + feature + " (17 or later; the JVM profiles are checked on 17 and 25)", Finding.NOTHING);
    }

    private Finding gc()
    {
        final String heap = "heap " + mib(initialHeap) + " initial of " + mib(maxHeap) + " max, " +
            (preTouch == null ? "pre-touch unknown" : preTouch ? "pre-touched" : "not pre-touched");
        final String summary = collector() + ", " + heap;
        final String found = "collectors " + String.join(", ", collectors) + "; " + heap +
            " (this JVM: run.sh starts it with the flags a pipeline gets)";
        final String why;
        final Status status;
        switch (collector())
        {
            case "ZGC":
            case "Shenandoah":
                status = Status.OK;
                why = "a concurrent collector: pauses well under a millisecond, whatever the heap size";
                break;
            case "G1":
                status = Status.WARN;
                why = "G1's young collections stop every thread for a few to tens of milliseconds";
                break;
            default:
                status = Status.WARN;
                why = "a stop-the-world collector: every collection pauses every thread, longer with a larger heap";
                break;
        }
        final boolean fixedHeap = initialHeap > 0 && initialHeap == maxHeap && Boolean.TRUE.equals(preTouch);
        return new Finding("gc", status == Status.OK && !fixedHeap ? Status.WARN : status, summary, found,
            fixedHeap ? why : why + "; a heap that grows or is touched for the first time takes page faults on the " +
                "hot path",
            status == Status.OK && fixedHeap ? Finding.NOTHING :
                "./run.sh --profile low-latency ... (ZGC, -Xms = -Xmx, -XX:+AlwaysPreTouch)");
    }

    private static String mib(final long bytes)
    {
        return bytes < 0 ? "unknown" : (bytes >> 20) + " MiB";
    }
}

package dev.dataforge.tuning.host;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the CPUs' clock is governed: the cpufreq governor of each CPU and whether turbo (Intel) or boost (others) is
 * on. No cpufreq directory at all is what a VM shows: the hypervisor sets the frequency.
 *
 * @param governors the CPUs under each governor, by name in order ({@code performance}, {@code powersave}, ...);
 *                  empty without cpufreq.
 * @param driver    the scaling driver of the first CPU that has one ({@code intel_pstate}, {@code acpi-cpufreq}, ...),
 *                  or null.
 * @param turbo     true when turbo or boost is on, false when off, null when the host does not say.
 * @param turboFile the file {@code turbo} was read from, or null.
 */
public record CpuFrequency(Map<String, CpuSet> governors, String driver, Boolean turbo, String turboFile)
{
    public static final String NO_TURBO = CpuIsolation.CPU_DIR + "/intel_pstate/no_turbo";
    public static final String BOOST = CpuIsolation.CPU_DIR + "/cpufreq/boost";

    /** @return the governors of every CPU that has a cpufreq directory, and the turbo setting. */
    public static CpuFrequency read(final HostFiles host)
    {
        final Map<String, CpuSet> governors = new TreeMap<>();
        String driver = null;
        for (final String cpu : host.list(CpuIsolation.CPU_DIR, "cpu[0-9]+"))
        {
            final String dir = CpuIsolation.CPU_DIR + "/" + cpu + "/cpufreq/";
            final String governor = host.read(dir + "scaling_governor");
            if (governor != null && !governor.isBlank())
            {
                governors.merge(governor.trim(), CpuSet.of(Integer.parseInt(cpu.substring(3))), CpuSet::or);
                driver = driver != null ? driver : host.read(dir + "scaling_driver");
            }
        }
        final String noTurbo = host.read(NO_TURBO);
        final String boost = host.read(BOOST);
        final Boolean turbo = noTurbo != null ? Boolean.valueOf("0".equals(noTurbo.trim())) :
            boost != null ? Boolean.valueOf("1".equals(boost.trim())) : null;
        return new CpuFrequency(Collections.unmodifiableMap(governors), driver, turbo,
            noTurbo != null ? NO_TURBO : boost != null ? BOOST : null);
    }

    /** @return the items {@code governor} and {@code turbo}. */
    public List<Finding> findings()
    {
        return List.of(governorFinding(), turboFinding());
    }

    private Finding governorFinding()
    {
        if (governors.isEmpty())
        {
            return new Finding("governor", Status.NOT_APPLICABLE, "no cpufreq (a VM?)",
                CpuIsolation.CPU_DIR + "/cpu*/cpufreq is absent: a VM (the hypervisor sets the frequency) or a " +
                    "kernel without cpufreq",
                "there is no governor to set from inside a VM; its vCPUs run at whatever the host's cores do",
                "nothing in the guest; for low latency ask for dedicated (pinned, not overcommitted) vCPUs or " +
                    "bare metal");
        }
        final List<String> parts = new ArrayList<>();
        governors.forEach((g, cpus) -> parts.add(g + " on " + cpus.size() + " CPU" + (cpus.size() == 1 ? "" : "s") +
            " (" + cpus + ")"));
        final String found = CpuIsolation.CPU_DIR + "/cpu*/cpufreq/scaling_governor: " + String.join(", ", parts) +
            (driver == null ? "" : "; driver " + driver);
        final String summary = String.join(", ", parts);
        if (governors.size() == 1 && governors.containsKey("performance"))
        {
            return new Finding("governor", Status.OK, summary, found,
                "the CPUs stay at their highest frequency: no ramp-up delay when a burst of events arrives",
                Finding.NOTHING);
        }
        return new Finding("governor", Status.FAIL, summary, found,
            "a governor other than performance lowers the clock of an idle core and raises it only after load " +
                "shows: the first events of a burst run slow, and the wake-up from deep idle states adds tens of " +
                "microseconds",
            "cpupower frequency-set -g performance (or tuned-adm profile latency-performance), at every boot");
    }

    private Finding turboFinding()
    {
        if (turbo == null)
        {
            return new Finding("turbo", Status.NOT_APPLICABLE, "not shown", NO_TURBO + " and " + BOOST + " are absent",
                "turbo is the host's (or the hypervisor's) to decide here", Finding.NOTHING);
        }
        final String found = turboFile + ": " + (turbo ? "turbo on" : "turbo off");
        return turbo
            ? new Finding("turbo", Status.OK, "on", found,
                "the highest clock a core reaches; it varies with how many cores are busy and with temperature, " +
                    "which shows as jitter",
                "nothing; for the steadiest latency over the highest speed, turn it off (echo 1 > " + NO_TURBO + ")")
            : new Finding("turbo", Status.OK, "off", found,
                "a steady clock: no frequency changes when other cores wake, at a lower peak speed",
                "nothing; turn it on for speed over steadiness");
    }
}

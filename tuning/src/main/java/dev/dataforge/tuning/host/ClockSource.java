package dev.dataforge.tuning.host;

import java.util.List;

/**
 * The kernel's clock source, behind {@code System.nanoTime()} and so behind every latency DataForge measures (each
 * event is stamped at the source and at the sink's commit).
 *
 * @param current   the clock source in use, or null when unknown.
 * @param available the clock sources the kernel could switch to, or null.
 */
public record ClockSource(String current, String available)
{
    public static final String DIR = "/sys/devices/system/clocksource/clocksource0";

    public static ClockSource read(final HostFiles host)
    {
        return new ClockSource(trim(host.read(DIR + "/current_clocksource")),
            trim(host.read(DIR + "/available_clocksource")));
    }

    private static String trim(final String text)
    {
        return text == null || text.isBlank() ? null : text.trim();
    }

    /** @return the item {@code clock source}. */
    public List<Finding> findings()
    {
        if (current == null)
        {
            return List.of(new Finding("clock source", Status.NOT_APPLICABLE, "unknown",
                DIR + "/current_clocksource cannot be read", "the clock's cost cannot be judged", Finding.NOTHING));
        }
        final String found = DIR + "/current_clocksource: " + current +
            (available == null ? "" : "; available: " + available);
        final boolean tscAvailable = available != null && List.of(available.split("\\s+")).contains("tsc");
        final String toTsc = tscAvailable ? "tsc is available: echo tsc > " + DIR + "/current_clocksource, and " +
            "clocksource=tsc tsc=reliable on the kernel command line to keep it" :
            "tsc is not available: the kernel found it unstable or the CPU has none (dmesg | grep -i clocksource); " +
                "where the CPU has an invariant TSC (constant_tsc nonstop_tsc in /proc/cpuinfo) boot with " +
                "tsc=reliable clocksource=tsc";
        switch (current)
        {
            case "tsc":
                return ok(found, "the CPU's time stamp counter, read in user space (vDSO) in tens of nanoseconds");
            case "arch_sys_counter":
                return ok(found, "the ARM generic timer, read in user space (vDSO)");
            case "kvm-clock":
                return List.of(new Finding("clock source", Status.WARN, current + " (a KVM guest)", found,
                    "a paravirtual clock: read in user space too, but through the hypervisor's per-vCPU time page, " +
                        "slower and less steady than tsc",
                    toTsc));
            case "hpet":
            case "acpi_pm":
                return List.of(new Finding("clock source", Status.FAIL, current + " (a slow timer)", found,
                    "a hardware timer that user space cannot read through the vDSO: every System.nanoTime is a " +
                        "system call and an I/O read, of the order of a microsecond, on every event",
                    toTsc));
            default:
                return List.of(new Finding("clock source", Status.WARN, current, found,
                    "a clock source other than tsc may not be readable in user space, making each time stamp a " +
                        "system call",
                    toTsc));
        }
    }

    private List<Finding> ok(final String found, final String why)
    {
        return List.of(new Finding("clock source", Status.OK, current, found, why, Finding.NOTHING));
    }
}

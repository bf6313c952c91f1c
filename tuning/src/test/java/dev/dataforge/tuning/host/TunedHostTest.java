package dev.dataforge.tuning.host;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tuned 32-CPU host: every item ok, the host ready. */
class TunedHostTest
{
    private final HostFiles host = Hosts.files(Hosts.TUNED);

    @Test
    void cpusAndIsolation()
    {
        final CpuIsolation cpus = CpuIsolation.read(host, KernelCommandLine.read(host));
        assertEquals(CpuSet.parseList("0-31"), cpus.online());
        assertEquals(CpuSet.parseList("0-31"), cpus.present());
        assertEquals(CpuSet.parseList("4-31"), cpus.isolated());
        assertEquals(CpuSet.parseList("4-31"), cpus.nohzFull());
        assertEquals(CpuSet.parseList("4-31"), cpus.rcuNocbs());
        assertEquals(CpuSet.parseList("0-3"), cpus.housekeeping());
        assertEquals(List.of(Status.OK, Status.OK), statuses(cpus.findings()));
    }

    @Test
    void frequency()
    {
        final CpuFrequency f = CpuFrequency.read(host);
        assertEquals(Map.of("performance", CpuSet.parseList("0-31")), f.governors());
        assertEquals("intel_pstate", f.driver());
        assertEquals(Boolean.TRUE, f.turbo());
        assertEquals(CpuFrequency.NO_TURBO, f.turboFile());
        assertEquals(List.of(Status.OK, Status.OK), statuses(f.findings()));
    }

    @Test
    void memory()
    {
        final TransparentHugePages thp = TransparentHugePages.read(host);
        assertEquals(new TransparentHugePages("never", "never", "never"), thp);
        assertEquals(List.of(Status.OK), statuses(thp.findings()));
        final Swap swap = Swap.read(host);
        assertEquals(new Swap(List.of(), 1), swap);
        assertEquals(List.of(Status.OK), statuses(swap.findings()));
        final NumaNodes numa = NumaNodes.read(host);
        assertEquals(Map.of(0, CpuSet.parseList("0-15"), 1, CpuSet.parseList("16-31")), numa.nodes());
        assertEquals(List.of(0, 1), numa.nodesOf(CpuSet.of(4, 20)));
        assertEquals(List.of(Status.OK), statuses(numa.findings()));
    }

    @Test
    void interruptsAndClock()
    {
        final IrqAffinity irqs = IrqAffinity.read(host);
        assertEquals(16, irqs.irqs().size());
        assertEquals(CpuSet.parseList("0-3"), irqs.irqs().get(120));
        assertEquals(CpuSet.parseList("0-3"), irqs.defaults());
        assertFalse(irqs.irqbalance());
        assertEquals(List.of(), irqs.on(CpuSet.parseList("4-31")));
        assertEquals(List.of(Status.OK), statuses(irqs.findings(CpuSet.parseList("4-31"), CpuSet.parseList("0-3"))));
        final ClockSource clock = ClockSource.read(host);
        assertEquals(new ClockSource("tsc", "tsc hpet acpi_pm"), clock);
        assertEquals(List.of(Status.OK), statuses(clock.findings()));
    }

    @Test
    void theHostIsReady()
    {
        final TuneReport report = Hosts.check(Hosts.TUNED, null);
        assertTrue(report.ready());
        assertEquals(List.of(), report.names(Status.FAIL));
        assertEquals(List.of(), report.names(Status.WARN));
        assertEquals(List.of(), report.names(Status.NOT_APPLICABLE));
        assertEquals(List.of("cpus", "isolated cores", "governor", "turbo", "huge pages", "numa", "swap",
            "irq affinity", "clock source", "jdk", "gc"), report.findings().stream().map(Finding::item).toList());
        assertEquals("verdict: ready for a low-latency pipeline", report.verdict());
        assertNull(report.finding("pinned cpus"));
    }

    static List<Status> statuses(final List<Finding> findings)
    {
        return findings.stream().map(Finding::status).toList();
    }
}

package dev.dataforge.tuning.host;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.dataforge.tuning.host.TunedHostTest.statuses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A 2-vCPU cloud VM like the project's machine: too small for a low-latency layout, and it says why. */
class CloudVmHostTest
{
    private final HostFiles host = Hosts.files(Hosts.CLOUD_VM);

    @Test
    void twoCpusNoneIsolated()
    {
        final KernelCommandLine cmdline = KernelCommandLine.read(host);
        assertNull(cmdline.value("--init-arg"));
        final CpuIsolation cpus = CpuIsolation.read(host, cmdline);
        assertEquals(CpuSet.of(0, 1), cpus.online());
        assertTrue(cpus.isolated().isEmpty());
        assertTrue(cpus.nohzFull().isEmpty());
        assertTrue(cpus.rcuNocbs().isEmpty());
        final List<Finding> findings = cpus.findings();
        assertEquals(List.of(Status.FAIL, Status.NOT_APPLICABLE), statuses(findings));
        assertEquals("2 online (0-1)", findings.get(0).summary());
        assertTrue(findings.get(0).change().contains("wait backoff, stage_threads auto"), findings.get(0).change());
    }

    @Test
    void noCpufreqIsAVm()
    {
        final CpuFrequency f = CpuFrequency.read(host);
        assertEquals(Map.of(), f.governors());
        assertNull(f.driver());
        assertNull(f.turbo());
        final List<Finding> findings = f.findings();
        assertEquals(List.of(Status.NOT_APPLICABLE, Status.NOT_APPLICABLE), statuses(findings));
        assertTrue(findings.get(0).found().contains("a VM"), findings.get(0).found());
    }

    @Test
    void thpAlwaysAndKvmClockWarn()
    {
        final TransparentHugePages thp = TransparentHugePages.read(host);
        assertEquals(new TransparentHugePages("always", "madvise", "never"), thp);
        assertEquals(List.of(Status.WARN), statuses(thp.findings()));
        final ClockSource clock = ClockSource.read(host);
        assertEquals("kvm-clock", clock.current());
        final Finding f = clock.findings().get(0);
        assertEquals(Status.WARN, f.status());
        assertEquals("kvm-clock (a KVM guest)", f.summary());
        assertTrue(f.why().startsWith("a paravirtual clock"), f.why());
        assertTrue(f.change().startsWith("tsc is available"), f.change());
    }

    @Test
    void swapOffOneNodeAndNoIsolatedCpusForIrqs()
    {
        assertEquals(new Swap(List.of(), 60), Swap.read(host));
        assertEquals(List.of(Status.OK), statuses(Swap.read(host).findings()));
        assertEquals(Map.of(0, CpuSet.of(0, 1)), NumaNodes.read(host).nodes());
        final IrqAffinity irqs = IrqAffinity.read(host);
        assertEquals(6, irqs.irqs().size());
        assertEquals(CpuSet.of(0, 1), irqs.defaults());
        assertFalse(irqs.irqbalance());
        assertEquals(List.of(Status.NOT_APPLICABLE), statuses(irqs.findings(CpuSet.EMPTY, CpuSet.of(0, 1))));
    }

    @Test
    void notReadyBecauseOfItsSize()
    {
        final TuneReport report = Hosts.check(Hosts.CLOUD_VM, null);
        assertFalse(report.ready());
        assertEquals(List.of("cpus"), report.names(Status.FAIL));
        assertEquals(List.of("huge pages", "clock source"), report.names(Status.WARN));
        assertEquals(List.of("isolated cores", "governor", "turbo", "irq affinity"),
            report.names(Status.NOT_APPLICABLE));
        assertTrue(report.verdict().startsWith("verdict: NOT READY for a low-latency pipeline: 1 failed (cpus), " +
            "2 warnings (huge pages, clock source); a host this small runs DataForge with the defaults"),
            report.verdict());
    }
}

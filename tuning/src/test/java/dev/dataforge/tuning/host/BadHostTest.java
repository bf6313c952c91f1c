package dev.dataforge.tuning.host;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.dataforge.tuning.host.TunedHostTest.statuses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A 16-CPU host set up badly: each mistake is found and named. */
class BadHostTest
{
    private final HostFiles host = Hosts.files(Hosts.BAD);
    private final CpuIsolation cpus = CpuIsolation.read(host, KernelCommandLine.read(host));

    @Test
    void isolationWithoutRcuNocbsAndAnOfflineIsolatedCpu()
    {
        assertEquals(CpuSet.parseList("0-14"), cpus.online());
        assertEquals(CpuSet.parseList("0-15"), cpus.present());
        assertEquals(CpuSet.parseList("2-15"), cpus.isolated());
        assertEquals(CpuSet.parseList("2-15"), cpus.nohzFull());
        assertTrue(cpus.rcuNocbs().isEmpty());
        final List<Finding> findings = cpus.findings();
        assertEquals(List.of(Status.OK, Status.WARN), statuses(findings));
        assertEquals("2-15, not rcu_nocbs: 2-15, not online: 15", findings.get(1).summary());
    }

    @Test
    void powersaveFails()
    {
        final CpuFrequency f = CpuFrequency.read(host);
        assertEquals(Map.of("powersave", CpuSet.parseList("0-14")), f.governors());
        assertEquals(Boolean.FALSE, f.turbo());
        final List<Finding> findings = f.findings();
        assertEquals(List.of(Status.FAIL, Status.OK), statuses(findings));
        assertEquals("powersave on 15 CPUs (0-14)", findings.get(0).summary());
        assertTrue(findings.get(0).change().contains("performance"));
    }

    @Test
    void swapOnFails()
    {
        final Swap swap = Swap.read(host);
        assertEquals(new Swap(List.of("/dev/dm-1"), 60), swap);
        assertEquals(List.of(Status.FAIL), statuses(swap.findings()));
        assertEquals(List.of(Status.WARN), statuses(new Swap(List.of("/dev/dm-1"), 1).findings()));
    }

    @Test
    void irqsOnIsolatedCpusFailAndIrqbalanceIsNamed()
    {
        final IrqAffinity irqs = IrqAffinity.read(host);
        assertEquals(7, irqs.irqs().size());
        assertEquals(CpuSet.of(5), irqs.irqs().get(25));
        assertEquals(CpuSet.parseList("0-15"), irqs.defaults());
        assertTrue(irqs.irqbalance());
        assertEquals(List.of(1, 8, 24, 25), irqs.on(cpus.isolated()));
        final Finding f = irqs.findings(cpus.isolated(), cpus.housekeeping()).get(0);
        assertEquals(Status.FAIL, f.status());
        assertEquals("4 of 7 IRQs may run on isolated CPUs", f.summary());
        assertTrue(f.change().startsWith("echo 0-1 > /proc/irq/N/smp_affinity_list"), f.change());
        assertTrue(f.change().contains("IRQBALANCE_BANNED_CPULIST=2-15"), f.change());
    }

    @Test
    void onlyTheDefaultAffinityOnIsolatedCpusWarns()
    {
        final IrqAffinity irqs = new IrqAffinity(Map.of(24, CpuSet.of(0, 1)), CpuSet.parseList("0-15"), false);
        final Finding f = irqs.findings(cpus.isolated(), cpus.housekeeping()).get(0);
        assertEquals(Status.WARN, f.status());
        assertTrue(f.change().startsWith("echo 3 > /proc/irq/default_smp_affinity"), f.change());
    }

    @Test
    void thpAlwaysAndHpetAreFound()
    {
        assertEquals(new TransparentHugePages("always", "always", "never"), TransparentHugePages.read(host));
        assertEquals(List.of(Status.WARN), statuses(TransparentHugePages.read(host).findings()));
        final Finding clock = ClockSource.read(host).findings().get(0);
        assertEquals(Status.FAIL, clock.status());
        assertTrue(clock.change().startsWith("tsc is not available"), clock.change());
    }

    @Test
    void notReady()
    {
        final TuneReport report = Hosts.check(Hosts.BAD, null);
        assertFalse(report.ready());
        assertEquals(List.of("governor", "swap", "irq affinity", "clock source"), report.names(Status.FAIL));
        assertEquals(List.of("isolated cores", "huge pages"), report.names(Status.WARN));
        assertEquals("verdict: NOT READY for a low-latency pipeline: 4 failed (governor, swap, irq affinity, " +
            "clock source), 2 warnings (isolated cores, huge pages)", report.verdict());
    }
}

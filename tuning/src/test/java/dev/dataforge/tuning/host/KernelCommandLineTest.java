package dev.dataforge.tuning.host;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelCommandLineTest
{
    private static final CpuSet ALL = CpuSet.parseList("0-31");

    @Test
    void listParametersDropTheirLeadingFlags()
    {
        final KernelCommandLine k = KernelCommandLine.parse("ro isolcpus=managed_irq,domain,4-31 nohz_full=4-31 quiet");
        assertEquals(CpuSet.parseList("4-31"), k.cpus("isolcpus", ALL));
        assertEquals(CpuSet.parseList("4-31"), k.cpus("nohz_full", ALL));
        assertEquals("", k.value("ro"));
        assertNull(k.cpus("rcu_nocbs", ALL));
        assertTrue(k.known());
    }

    @Test
    void aBareOrAllListIsEveryCpu()
    {
        assertEquals(ALL, KernelCommandLine.parse("rcu_nocbs").cpus("rcu_nocbs", ALL));
        assertEquals(ALL, KernelCommandLine.parse("rcu_nocbs=all").cpus("rcu_nocbs", ALL));
        assertNull(KernelCommandLine.parse("nohz_full").cpus("nohz_full", null));
    }

    @Test
    void quotedValuesStayWholeAndInitsWordsAreNotTheKernels()
    {
        final KernelCommandLine k = KernelCommandLine.parse("a=\"x y\" isolcpus=2-3 -- isolcpus=5 --addr 0.0.0.0");
        assertEquals("x y", k.value("a"));
        assertEquals(CpuSet.of(2, 3), k.cpus("isolcpus", ALL));
        assertNull(k.value("--addr"));
    }

    @Test
    void anUnreadableListIsNullAndAnUnknownLineIsEmpty()
    {
        assertNull(KernelCommandLine.parse("isolcpus=nohz").cpus("isolcpus", ALL));
        assertNull(KernelCommandLine.parse("isolcpus=4-x").cpus("isolcpus", ALL));
        final KernelCommandLine unknown = KernelCommandLine.parse(null);
        assertFalse(unknown.known());
        assertNull(unknown.value("isolcpus"));
    }
}

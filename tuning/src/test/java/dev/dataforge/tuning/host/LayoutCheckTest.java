package dev.dataforge.tuning.host;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Thread layouts checked against the fixture hosts. */
class LayoutCheckTest
{
    private static StageLayout layout(final String stageThreads, final String wait, final Object... stages)
    {
        final Map<String, StageLayout.Stage> map = new LinkedHashMap<>();
        for (int i = 0; i < stages.length; i += 3)
        {
            map.put((String)stages[i], new StageLayout.Stage((String)stages[i + 1], (Integer)stages[i + 2],
                "p.yaml:" + (20 + i) + ":7"));
        }
        return new StageLayout(stageThreads, wait, "p.yaml:18:3", map);
    }

    private static Finding item(final TuneReport report, final String item)
    {
        return report.finding(item);
    }

    @Test
    void eachStageOnAnIsolatedCpuOfOneNodeIsReady()
    {
        final TuneReport report = Hosts.check(Hosts.TUNED, layout("dedicated", "busy-spin",
            "source", null, 4, "process", null, 5, "sink", null, 6));
        assertEquals(List.of(), report.names(Status.FAIL));
        assertEquals(List.of(), report.names(Status.WARN));
        assertEquals("3 threads (dedicated)", item(report, "stage threads").summary());
        assertEquals("4-6, isolated and online", item(report, "pinned cpus").summary());
        assertEquals(Status.OK, item(report, "cpu sharing").status());
        assertEquals("3 spinning, 4 CPUs spare", item(report, "spinning stages").summary());
        assertTrue(report.ready());
    }

    @Test
    void twoSpinningStagesOnOneCpuAndACpuThatDoesNotExistFail()
    {
        final TuneReport report = Hosts.check(Hosts.TUNED, layout("dedicated", "backoff",
            "source", null, 40, "process", "busy-spin", 5, "sink", "busy-spin", 5));
        final Finding pinned = item(report, "pinned cpus");
        assertEquals(Status.FAIL, pinned.status());
        assertTrue(pinned.found().contains("source (p.yaml:20:7) cpu 40 does not exist (CPUs 0-31)"), pinned.found());
        final Finding sharing = item(report, "cpu sharing");
        assertEquals(Status.FAIL, sharing.status());
        assertEquals("spinning threads share cpu 5", sharing.summary());
        assertTrue(sharing.found().contains("process (busy-spin, cpu 5, p.yaml:23:7) and sink (busy-spin, cpu 5, " +
            "p.yaml:26:7)"), sharing.found());
        assertEquals(List.of("pinned cpus", "cpu sharing"), report.names(Status.FAIL));
    }

    @Test
    void aSpinnerBesideAParkingThreadWarnsAndTwoParkingThreadsAreFine()
    {
        final TuneReport one = Hosts.check(Hosts.TUNED, layout("dedicated", "backoff",
            "process", "busy-spin", 5, "sink", null, 5));
        assertEquals(Status.WARN, item(one, "cpu sharing").status());
        final TuneReport none = Hosts.check(Hosts.TUNED, layout("dedicated", "backoff",
            "process", null, 5, "sink", null, 5));
        assertEquals(Status.OK, item(none, "cpu sharing").status());
        assertEquals("threads share cpu 5", item(none, "cpu sharing").summary());
    }

    @Test
    void offlineUnisolatedAndCrossNodeCpus()
    {
        final TuneReport bad = Hosts.check(Hosts.BAD, layout("dedicated", "backoff", "process", null, 15));
        assertEquals(Status.FAIL, item(bad, "pinned cpus").status());
        assertTrue(item(bad, "pinned cpus").found().contains("cpu 15 is offline (online 0-14)"));
        final TuneReport unisolated = Hosts.check(Hosts.TUNED, layout("dedicated", "backoff",
            "process", null, 2));
        assertEquals(Status.WARN, item(unisolated, "pinned cpus").status());
        assertTrue(item(unisolated, "pinned cpus").found().contains("cpu 2 is not isolated (isolated: 4-31)"));
        final TuneReport zero = Hosts.check(Hosts.TUNED, layout("dedicated", "backoff", "process", null, 0));
        assertEquals(Status.WARN, item(zero, "pinned cpus").status());
        assertTrue(item(zero, "pinned cpus").found().contains("cpu 0: OpenHFT affinity reads 0 as any"));
        final TuneReport crossNode = Hosts.check(Hosts.TUNED, layout("dedicated", "backoff",
            "process", null, 5, "sink", null, 20));
        assertEquals(Status.WARN, item(crossNode, "pinned cpus").status());
        assertTrue(item(crossNode, "pinned cpus").found().contains("span NUMA nodes [0, 1]"));
    }

    @Test
    void spinningOnASmallHostFailsAndAutoSharesTheThread()
    {
        final TuneReport report = Hosts.check(Hosts.CLOUD_VM, layout("auto", "backoff",
            "process", "busy-spin", null, "sink", "yield", 1));
        final Finding threads = item(report, "stage threads");
        assertEquals(Status.WARN, threads.status());
        assertEquals("2 threads (auto: shared below 4 CPUs, 2 online)", threads.summary());
        assertTrue(threads.why().contains("stage 'sink' (p.yaml:23:7) sets cpu 1 and wait yield, which is not used"),
            threads.why());
        final Finding spinning = item(report, "spinning stages");
        assertEquals(Status.FAIL, spinning.status());
        assertEquals("1 spinning, 1 CPU spare", spinning.summary());
        assertEquals(Status.NOT_APPLICABLE, item(report, "pinned cpus").status());
    }

    @Test
    void anUnpinnedSpinnerOnAnIsolatedHostWarns()
    {
        final TuneReport report = Hosts.check(Hosts.TUNED, layout("dedicated", "backoff",
            "process", "busy-spin", null));
        assertEquals(Status.WARN, item(report, "spinning stages").status());
        assertTrue(item(report, "spinning stages").change().contains("(4-31)"));
    }

    @Test
    void spinnersOnTheHousekeepingCpusLeaveTooFew()
    {
        final TuneReport report = Hosts.check(Hosts.TUNED, layout("dedicated", "busy-spin",
            "source", null, 0, "process", null, 1, "sink", null, 2));
        assertEquals(Status.FAIL, item(report, "spinning stages").status());
        assertEquals("3 spinning, 1 CPU spare", item(report, "spinning stages").summary());
    }

    @Test
    void spinnersPinnedWhereNoCpuIsRunUnpinnedOnTheHousekeepingCpus()
    {
        final TuneReport report = Hosts.check(Hosts.TUNED, layout("dedicated", "busy-spin",
            "source", null, 40, "process", null, 41, "sink", null, 42));
        assertEquals(Status.FAIL, item(report, "spinning stages").status());
        assertEquals("3 spinning, 1 CPU spare", item(report, "spinning stages").summary());
    }

    @Test
    void theDefaultLayoutNeitherPinsNorSpins()
    {
        final TuneReport report = Hosts.check(Hosts.CLOUD_VM, layout("auto", "backoff"));
        assertEquals(Status.OK, item(report, "stage threads").status());
        assertEquals(Status.NOT_APPLICABLE, item(report, "pinned cpus").status());
        assertEquals(Status.NOT_APPLICABLE, item(report, "cpu sharing").status());
        assertEquals(Status.OK, item(report, "spinning stages").status());
        assertEquals("none", item(report, "spinning stages").summary());
    }
}

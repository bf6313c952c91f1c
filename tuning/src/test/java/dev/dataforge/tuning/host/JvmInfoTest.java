package dev.dataforge.tuning.host;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmInfoTest
{
    private static JvmInfo jvm(final List<String> collectors, final long init, final long max, final Boolean touch)
    {
        return new JvmInfo("25.0.3+9-LTS", 25, "Eclipse Adoptium", "OpenJDK 64-Bit Server VM", collectors, init, max,
            touch);
    }

    @Test
    void collectorsAreNamedByFamily()
    {
        assertEquals("ZGC", jvm(List.of("ZGC Minor Cycles", "ZGC Major Pauses"), 1, 1, true).collector());
        assertEquals("G1", jvm(List.of("G1 Young Generation", "G1 Old Generation"), 1, 1, true).collector());
        assertEquals("Parallel", jvm(List.of("PS Scavenge", "PS MarkSweep"), 1, 1, true).collector());
        assertEquals("Serial", jvm(List.of("Copy", "MarkSweepCompact"), 1, 1, true).collector());
        assertEquals("Shenandoah", jvm(List.of("Shenandoah Pauses", "Shenandoah Cycles"), 1, 1, true).collector());
    }

    @Test
    void aConcurrentCollectorOnAFixedPreTouchedHeapIsOk()
    {
        final long heap = 4L << 30;
        final List<Finding> ok = jvm(List.of("ZGC Cycles", "ZGC Pauses"), heap, heap, true).findings();
        assertEquals(List.of(Status.OK, Status.OK), ok.stream().map(Finding::status).toList());
        assertEquals("ZGC, heap 4096 MiB initial of 4096 MiB max, pre-touched", ok.get(1).summary());
        final Finding growing = jvm(List.of("ZGC Cycles"), heap / 4, heap, false).findings().get(1);
        assertEquals(Status.WARN, growing.status());
        assertTrue(growing.change().contains("--profile low-latency"));
        assertEquals(Status.WARN, jvm(List.of("G1 Young Generation"), heap, heap, true).findings().get(1).status());
    }

    @Test
    void theRunningJvmIsRead()
    {
        final JvmInfo current = JvmInfo.current();
        assertEquals(Runtime.version().feature(), current.feature());
        assertFalse(current.collectors().isEmpty());
        assertTrue(current.maxHeap() > 0);
        assertEquals(Status.OK, current.findings().get(0).status());
    }
}

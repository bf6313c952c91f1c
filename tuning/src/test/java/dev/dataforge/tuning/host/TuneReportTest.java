package dev.dataforge.tuning.host;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TuneReportTest
{
    @Test
    void eachItemPrintsItsLineThenFoundWhyChangeThenTheVerdict()
    {
        final TuneReport report = new TuneReport("/", List.of(
            new Finding("swap", Status.FAIL, "on, swappiness 60", "f1", "w1", "c1"),
            new Finding("numa", Status.OK, "1 node", "f2", "w2", Finding.NOTHING)));
        final StringWriter out = new StringWriter();
        report.print(new PrintWriter(out));
        assertEquals(String.join(System.lineSeparator(),
            "tune check of /: 2 items",
            "fail  swap            on, swappiness 60",
            "      found:  f1",
            "      why:    w1",
            "      change: c1",
            "ok    numa            1 node",
            "      found:  f2",
            "      why:    w2",
            "      change: nothing",
            "verdict: NOT READY for a low-latency pipeline: 1 failed (swap)", ""), out.toString());
        assertFalse(report.ready());
    }

    @Test
    void warningsAloneLeaveTheHostReady()
    {
        final TuneReport report = new TuneReport("/", List.of(
            new Finding("huge pages", Status.WARN, "s", "f", "w", "c"),
            new Finding("turbo", Status.NOT_APPLICABLE, "s", "f", "w", "c")));
        assertTrue(report.ready());
        assertEquals("verdict: ready for a low-latency pipeline, with 1 warning (huge pages) whose change lines " +
            "cut jitter further", report.verdict());
    }
}

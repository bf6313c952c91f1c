package dev.dataforge.tuning.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A host whose files are all missing: every item is n/a (or reasoned), nothing throws. */
class MissingFilesTest
{
    @TempDir
    Path empty;

    @Test
    void absentFilesAreNullAndAbsentDirectoriesEmpty() throws Exception
    {
        final HostFiles host = new HostFiles(empty);
        assertNull(host.read("/proc/cmdline"));
        assertEquals(List.of(), host.list("/proc/irq", "[0-9]+"));
        Files.createDirectories(empty.resolve("proc/irq/10"));
        Files.createDirectories(empty.resolve("proc/irq/9"));
        Files.createDirectories(empty.resolve("proc/irq/100"));
        assertEquals(List.of("9", "10", "100"), host.list("/proc/irq", "[0-9]+"));
        assertNull(host.read("/proc/irq/9"));
    }

    @Test
    void everyItemIsNotApplicableWithoutItsFiles()
    {
        final TuneReport report = TuneCheck.run(new HostFiles(empty), Hosts.lowLatencyJvm(),
            new StageLayout("auto", "backoff", "p.yaml:9:3", java.util.Map.of()));
        assertEquals(List.of(), report.names(Status.FAIL));
        assertEquals(List.of(), report.names(Status.WARN));
        assertEquals(List.of("cpus", "isolated cores", "governor", "turbo", "huge pages", "numa", "swap",
            "irq affinity", "clock source", "layout"), report.names(Status.NOT_APPLICABLE));
        assertFalse(report.findings().stream().anyMatch(f -> f.found() == null || f.why() == null ||
            f.change() == null));
    }
}

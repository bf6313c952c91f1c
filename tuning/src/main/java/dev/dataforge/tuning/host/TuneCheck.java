package dev.dataforge.tuning.host;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code tune check}: reads a host's files and the running JVM, and, given a pipeline's layout, checks the layout
 * against the host. Reads through {@link HostFiles} only, so a fixture tree stands in for a host.
 */
public final class TuneCheck
{
    private TuneCheck()
    {
    }

    /**
     * @param host   the host's files.
     * @param jvm    the JVM the pipeline runs on.
     * @param layout the pipeline's thread layout, or null to check the host alone.
     * @return every item, host first, then the JVM, then the layout.
     */
    public static TuneReport run(final HostFiles host, final JvmInfo jvm, final StageLayout layout)
    {
        final CpuIsolation cpus = CpuIsolation.read(host, KernelCommandLine.read(host));
        final NumaNodes numa = NumaNodes.read(host);
        final List<Finding> findings = new ArrayList<>(cpus.findings());
        findings.addAll(CpuFrequency.read(host).findings());
        findings.addAll(TransparentHugePages.read(host).findings());
        findings.addAll(numa.findings());
        findings.addAll(Swap.read(host).findings());
        findings.addAll(IrqAffinity.read(host).findings(cpus.isolated(), cpus.housekeeping()));
        findings.addAll(ClockSource.read(host).findings());
        findings.addAll(jvm.findings());
        if (layout != null)
        {
            findings.addAll(new LayoutCheck(layout, cpus, numa).findings());
        }
        return new TuneReport(host.root().toString(), findings);
    }
}

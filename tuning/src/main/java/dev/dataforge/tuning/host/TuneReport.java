package dev.dataforge.tuning.host;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The items of a host check and the verdict: a host is ready for a low-latency pipeline when no item
 * {@link Status#FAIL fails}; warnings cost latency without standing in its way.
 */
public final class TuneReport
{
    private static final String INDENT = "      ";

    private final String host;
    private final List<Finding> findings;

    /**
     * @param host     what was checked, such as {@code /} or a fixture directory.
     * @param findings the items, in the order printed.
     */
    public TuneReport(final String host, final List<Finding> findings)
    {
        this.host = host;
        this.findings = List.copyOf(findings);
    }

    public List<Finding> findings()
    {
        return findings;
    }

    /** @return the item named {@code item}, or null. */
    public Finding finding(final String item)
    {
        return findings.stream().filter(f -> f.item().equals(item)).findFirst().orElse(null);
    }

    /** @return true when no item fails. */
    public boolean ready()
    {
        return names(Status.FAIL).isEmpty();
    }

    /** @return the names of the items with {@code status}, in order. */
    public List<String> names(final Status status)
    {
        final List<String> out = new ArrayList<>();
        findings.stream().filter(f -> f.status() == status).forEach(f -> out.add(f.item()));
        return out;
    }

    /** @return the verdict line. */
    public String verdict()
    {
        final List<String> failed = names(Status.FAIL);
        final List<String> warned = names(Status.WARN);
        final String warnings = warned.isEmpty() ? "" : warned.size() + " warning" + (warned.size() == 1 ? "" : "s") +
            " (" + String.join(", ", warned) + ")";
        if (failed.isEmpty())
        {
            return "verdict: ready for a low-latency pipeline" + (warned.isEmpty() ? "" : ", with " + warnings +
                " whose change lines cut jitter further");
        }
        final Finding cpus = finding("cpus");
        final String small = cpus != null && cpus.status() == Status.FAIL ? "; a host this small runs DataForge " +
            "with the defaults (wait backoff, stage_threads auto, no cpu pins) at millisecond, not microsecond, latency"
            : "";
        return "verdict: NOT READY for a low-latency pipeline: " + failed.size() + " failed (" +
            String.join(", ", failed) + ")" + (warned.isEmpty() ? "" : ", " + warnings) + small;
    }

    /** Prints a line per item (status, item, summary), its found, why and change lines, then the verdict. */
    public void print(final PrintWriter out)
    {
        out.println("tune check of " + host + ": " + findings.size() + " items");
        for (final Finding f : findings)
        {
            out.printf("%-4s  %-15s %s%n", f.status().label(), f.item(), f.summary());
            out.println(INDENT + "found:  " + f.found());
            out.println(INDENT + "why:    " + f.why());
            out.println(INDENT + "change: " + f.change());
        }
        out.println(verdict());
        out.flush();
    }
}

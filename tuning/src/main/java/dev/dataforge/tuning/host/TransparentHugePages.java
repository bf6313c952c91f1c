package dev.dataforge.tuning.host;

import java.util.List;

/**
 * Transparent huge pages: the mode ({@code always}, {@code madvise}, {@code never}), when the kernel compacts memory
 * to make a huge page ({@code defrag}), and whether shared memory may use them ({@code shmem_enabled}: ZGC's heap
 * is shared memory). Each file lists the choices with the selected one in brackets.
 *
 * @param enabled the selected mode, or null when the kernel has no THP.
 * @param defrag  the selected defrag mode, or null.
 * @param shmem   the selected shared memory mode, or null.
 */
public record TransparentHugePages(String enabled, String defrag, String shmem)
{
    public static final String DIR = "/sys/kernel/mm/transparent_hugepage";

    public static TransparentHugePages read(final HostFiles host)
    {
        return new TransparentHugePages(selected(host.read(DIR + "/enabled")), selected(host.read(DIR + "/defrag")),
            selected(host.read(DIR + "/shmem_enabled")));
    }

    /** @return the word in brackets of {@code always [madvise] never}, the whole text when there is none, or null. */
    static String selected(final String text)
    {
        if (text == null)
        {
            return null;
        }
        final int open = text.indexOf('[');
        final int close = text.indexOf(']', open + 1);
        return open >= 0 && close > open ? text.substring(open + 1, close) : text.trim();
    }

    /** @return the item {@code huge pages}. */
    public List<Finding> findings()
    {
        if (enabled == null)
        {
            return List.of(new Finding("huge pages", Status.NOT_APPLICABLE, "no THP", DIR + " is absent",
                "a kernel without transparent huge pages never stalls to make one", Finding.NOTHING));
        }
        final String summary = "enabled " + enabled + ", defrag " + defrag + ", shmem " + shmem;
        final String found = DIR + "/{enabled,defrag,shmem_enabled}: " + enabled + ", " + defrag + ", " + shmem;
        final String change = "echo madvise > " + DIR + "/enabled and echo defer+madvise > " + DIR + "/defrag " +
            "(or transparent_hugepage=madvise on the kernel command line); the low-latency profile madvises the " +
            "pre-touched heap (-XX:+UseTransparentHugePages), and ZGC also needs shmem_enabled advise";
        if ("always".equals(enabled))
        {
            return List.of(new Finding("huge pages", Status.WARN, summary, found,
                "THP always lets khugepaged merge and split pages of every process, and a page fault may wait for " +
                    "compaction: stalls of milliseconds at unpredictable times",
                change));
        }
        if ("always".equals(defrag) && !"never".equals(enabled))
        {
            return List.of(new Finding("huge pages", Status.WARN, summary, found,
                "defrag always makes a page fault that wants a huge page wait for memory compaction", change));
        }
        return List.of(new Finding("huge pages", Status.OK, summary, found,
            "huge pages only where asked for (or none): no compaction stalls in other allocations",
            okChange()));
    }

    private String okChange()
    {
        if ("never".equals(enabled))
        {
            return "nothing; with THP never the JVM's -XX:+UseTransparentHugePages has no effect and the heap uses " +
                "4 KiB pages (more TLB misses)";
        }
        return "advise".equals(shmem) || "always".equals(shmem) ? Finding.NOTHING : "nothing for G1 and Parallel; " +
            "for ZGC's heap to get huge pages, echo advise > " + DIR + "/shmem_enabled";
    }
}

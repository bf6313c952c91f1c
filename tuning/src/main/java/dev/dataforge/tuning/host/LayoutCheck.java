package dev.dataforge.tuning.host;

import dev.dataforge.tuning.StageThreads;
import dev.dataforge.tuning.host.StageLayout.StageThread;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a pipeline's thread layout against the host: the threads it starts, whether each pinned CPU exists, is
 * online and isolated (and all on one NUMA node), whether two threads that spin share a CPU, and whether the
 * threads that spin leave {@link #SPARE_CPUS} CPUs for everything else.
 */
public final class LayoutCheck
{
    /** CPUs a layout must leave free of spinning threads: one for the OS and IRQs, one for GC, JIT and clients. */
    public static final int SPARE_CPUS = 2;

    private final StageLayout layout;
    private final CpuIsolation cpus;
    private final NumaNodes numa;
    private final List<StageThread> threads;

    public LayoutCheck(final StageLayout layout, final CpuIsolation cpus, final NumaNodes numa)
    {
        this.layout = layout;
        this.cpus = cpus;
        this.numa = numa;
        this.threads = layout.threads(cpus.online() == null ? 1 : cpus.online().size());
    }

    /** @return the items {@code stage threads}, {@code pinned cpus}, {@code cpu sharing}, {@code spinning stages}. */
    public List<Finding> findings()
    {
        if (cpus.online() == null)
        {
            return List.of(new Finding("layout", Status.NOT_APPLICABLE, "online CPUs unknown",
                CpuIsolation.CPU_DIR + "/online cannot be read", "the layout is checked against the online CPUs",
                Finding.NOTHING));
        }
        return List.of(stageThreads(), pinnedCpus(), sharing(), spinning());
    }

    private Finding stageThreads()
    {
        final int online = cpus.online().size();
        final String how = StageThreads.AUTO.equals(layout.stageThreads()) ? "auto: shared below " +
            StageThreads.AUTO_SHARED_BELOW_CPUS + " CPUs, " + online + " online" : layout.stageThreads();
        final List<String> names = new ArrayList<>();
        threads.forEach(t -> names.add(t.toString()));
        final String summary = threads.size() + " threads (" + how + ")";
        final StageLayout.Stage sink = layout.stages().get("sink");
        if (layout.shared(online) && sink != null && (sink.cpu() != null || sink.waitStrategy() != null))
        {
            return new Finding("stage threads", Status.WARN, summary, String.join("; ", names),
                "process and sink share one thread, which runs with the process stage's wait and cpu: stage " +
                    "'sink' (" + sink.where() + ") sets " + (sink.cpu() != null ? "cpu " + sink.cpu() : "") +
                    (sink.cpu() != null && sink.waitStrategy() != null ? " and " : "") +
                    (sink.waitStrategy() != null ? "wait " + sink.waitStrategy() : "") + ", which is not used",
                "set them on stage 'process', or runtime.stage_threads: dedicated for a thread each");
        }
        return new Finding("stage threads", Status.OK, summary, String.join("; ", names),
            "each thread runs with the wait and cpu shown", Finding.NOTHING);
    }

    private Finding pinnedCpus()
    {
        final List<String> fails = new ArrayList<>();
        final List<String> warns = new ArrayList<>();
        CpuSet pinned = CpuSet.EMPTY;
        final CpuSet present = cpus.present() != null ? cpus.present() : cpus.online();
        for (final StageThread t : threads)
        {
            if (t.cpu() == null)
            {
                continue;
            }
            pinned = pinned.or(CpuSet.of(t.cpu()));
            final String who = t.name() + " (" + t.where() + ") cpu " + t.cpu();
            if (!present.contains(t.cpu()))
            {
                fails.add(who + " does not exist (CPUs " + present + ")");
            }
            else if (!cpus.online().contains(t.cpu()))
            {
                fails.add(who + " is offline (online " + cpus.online() + ")");
            }
            else if (t.cpu() == 0)
            {
                warns.add(who + ": OpenHFT affinity reads 0 as any free reserved CPU, and CPU 0 takes most of the " +
                    "kernel's housekeeping");
            }
            else if (!cpus.isolated().contains(t.cpu()))
            {
                warns.add(who + " is not isolated (isolated: " + cpus.isolated() + ")");
            }
        }
        if (pinned.isEmpty())
        {
            return new Finding("pinned cpus", Status.NOT_APPLICABLE, "no stage is pinned",
                "no runtime.stages.<stage>.cpu", "the OS places every thread", Finding.NOTHING);
        }
        final List<Integer> nodes = numa.nodesOf(pinned);
        if (nodes.size() > 1)
        {
            warns.add("the pinned CPUs " + pinned + " span NUMA nodes " + nodes);
        }
        final List<String> problems = new ArrayList<>(fails);
        problems.addAll(warns);
        if (problems.isEmpty())
        {
            return new Finding("pinned cpus", Status.OK, pinned + ", isolated and online", "pinned: " + pinned,
                "each pinned stage has an isolated CPU", Finding.NOTHING);
        }
        return new Finding("pinned cpus", fails.isEmpty() ? Status.WARN : Status.FAIL, problems.get(0) +
                (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""), String.join("; ", problems),
            "a CPU that does not exist or is offline cannot be reserved: the stage runs unpinned, anywhere; a CPU " +
                "that is not isolated is shared with the scheduler's other threads; stages on two NUMA nodes move " +
                "every event's slot across the interconnect",
            "pin each stage to its own online isolated CPU" + (cpus.isolated().isEmpty() ? "" :
                " (isolated here: " + cpus.isolated() + ")") + ", all on one NUMA node");
    }

    private Finding sharing()
    {
        final Map<Integer, List<StageThread>> byCpu = new TreeMap<>();
        threads.stream().filter(t -> t.cpu() != null)
            .forEach(t -> byCpu.computeIfAbsent(t.cpu(), c -> new ArrayList<>()).add(t));
        if (byCpu.isEmpty())
        {
            return new Finding("cpu sharing", Status.NOT_APPLICABLE, "no stage is pinned",
                "no runtime.stages.<stage>.cpu", "the OS places every thread", Finding.NOTHING);
        }
        Status status = Status.OK;
        final List<String> shared = new ArrayList<>();
        for (final Map.Entry<Integer, List<StageThread>> e : byCpu.entrySet())
        {
            final List<StageThread> on = e.getValue();
            if (on.size() > 1)
            {
                final long spinning = on.stream().filter(StageThread::spins).count();
                status = spinning > 1 ? Status.FAIL : spinning == 1 && status != Status.FAIL ? Status.WARN : status;
                final List<String> names = new ArrayList<>();
                on.forEach(t -> names.add(t.toString()));
                shared.add("cpu " + e.getKey() + ": " + String.join(" and ", names));
            }
        }
        if (shared.isEmpty())
        {
            CpuSet pinned = CpuSet.EMPTY;
            for (final int cpu : byCpu.keySet())
            {
                pinned = pinned.or(CpuSet.of(cpu));
            }
            return new Finding("cpu sharing", Status.OK, "one thread per pinned CPU", "pinned: " + pinned,
                "no pinned thread waits for another", Finding.NOTHING);
        }
        final String first = shared.get(0).substring(0, shared.get(0).indexOf(':'));
        return new Finding("cpu sharing", status,
            (status == Status.FAIL ? "spinning threads share " : "threads share ") + first, String.join("; ", shared),
            status == Status.OK ? "pinned threads that park share a CPU without harm" :
                "a thread that spins never gives its CPU up: another thread pinned there runs only when the " +
                    "scheduler preempts the spinner, a time slice (milliseconds) later, or with nohz_full maybe never",
            status == Status.OK ? Finding.NOTHING : "give each spinning stage a CPU of its own");
    }

    private Finding spinning()
    {
        final List<StageThread> spinners = threads.stream().filter(StageThread::spins).toList();
        if (spinners.isEmpty())
        {
            return new Finding("spinning stages", Status.OK, "none", "no stage waits with busy-spin or yield",
                "idle stages park and leave their CPU to others", Finding.NOTHING);
        }
        final CpuSet housekeeping = cpus.housekeeping();
        CpuSet taken = CpuSet.EMPTY;
        int unpinned = 0;
        final List<String> names = new ArrayList<>();
        for (final StageThread t : spinners)
        {
            names.add(t.toString());
            if (t.cpu() == null || !cpus.online().contains(t.cpu()))
            {
                unpinned++; // a pin that cannot be had runs the thread unpinned
            }
            else
            {
                taken = taken.or(CpuSet.of(t.cpu()));
            }
        }
        final int spare = housekeeping.minus(taken).size() - unpinned;
        final String found = spinners.size() + " spinning: " + String.join("; ", names) + "; housekeeping CPUs " +
            housekeeping + ", " + Math.max(0, spare) + " left by the spinning threads";
        final String summary = spinners.size() + " spinning, " + Math.max(0, spare) + (spare == 1 ? " CPU" : " CPUs") +
            " spare";
        if (spare < SPARE_CPUS)
        {
            return new Finding("spinning stages", Status.FAIL, summary, found,
                "a spinning stage holds a whole CPU; the OS and interrupts, the JVM's GC and JIT threads, the " +
                    "Kafka clients' threads and the unpinned stages need at least " + SPARE_CPUS + " more, or they " +
                    "queue behind the spinner",
                "wait: backoff for these stages (the default), or pin them to isolated CPUs on a host with more cores");
        }
        if (unpinned > 0 && !cpus.isolated().isEmpty())
        {
            return new Finding("spinning stages", Status.WARN, summary, found,
                "an unpinned thread never runs on the isolated CPUs: it spins on the housekeeping CPUs beside the OS",
                "pin each spinning stage to an isolated CPU (" + cpus.isolated() + ")");
        }
        return new Finding("spinning stages", Status.OK, summary, found,
            "the spinning stages leave enough CPUs for the rest", Finding.NOTHING);
    }
}

package dev.dataforge.tuning.host;

import dev.dataforge.tuning.StageThreads;
import dev.dataforge.tuning.WaitStrategies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The thread layout a pipeline asks for, as the host checks see it: {@code runtime.stage_threads},
 * {@code runtime.wait} and each stage's {@code wait} and {@code cpu}. The engine's config becomes this; tuning reads
 * no pipeline file.
 *
 * @param stageThreads {@link StageThreads#AUTO}, {@link StageThreads#SHARED} or {@link StageThreads#DEDICATED}.
 * @param waitStrategy the wait of every stage that sets none.
 * @param where        where {@code runtime:} is written ({@code file:line:column}), for messages.
 * @param stages       the stages that set a wait or a cpu, by name ({@code source}, {@code process}, {@code sink}).
 */
public record StageLayout(String stageThreads, String waitStrategy, String where, Map<String, Stage> stages)
{
    /**
     * A stage's own settings.
     *
     * @param waitStrategy its wait, or null for the layout's.
     * @param cpu   the CPU to pin it to, or null.
     * @param where where the stage is configured ({@code file:line:column}).
     */
    public record Stage(String waitStrategy, Integer cpu, String where)
    {
    }

    /**
     * A thread the pipeline starts, with the settings it runs with.
     *
     * @param name  {@code source}, {@code process}, {@code sink}, or {@code process+sink} when they share.
     * @param waitStrategy its wait strategy.
     * @param cpu   its CPU, or null when unpinned.
     * @param where where its settings are written.
     */
    public record StageThread(String name, String waitStrategy, Integer cpu, String where)
    {
        /** @return true when the thread keeps its CPU busy while idle ({@code busy-spin}, {@code yield}). */
        public boolean spins()
        {
            return WaitStrategies.keepsCpuBusy(waitStrategy);
        }

        @Override
        public String toString()
        {
            return name + " (" + waitStrategy + (cpu == null ? "" : ", cpu " + cpu) + ", " + where + ")";
        }
    }

    /**
     * @param cpus the host's online CPUs, which {@code auto} decides on as the engine does.
     * @return true when the process and sink stages share one thread.
     */
    public boolean shared(final int cpus)
    {
        return StageThreads.shared(stageThreads, cpus);
    }

    /** @return the threads the pipeline starts on a host of {@code cpus} online CPUs, source first. */
    public List<StageThread> threads(final int cpus)
    {
        final List<StageThread> out = new ArrayList<>();
        out.add(thread("source", "source"));
        if (shared(cpus))
        {
            out.add(thread("process", "process+sink"));
        }
        else
        {
            out.add(thread("process", "process"));
            out.add(thread("sink", "sink"));
        }
        return out;
    }

    private StageThread thread(final String stage, final String name)
    {
        final Stage s = stages.get(stage);
        if (s == null)
        {
            return new StageThread(name, waitStrategy, null, where);
        }
        return new StageThread(name, s.waitStrategy() == null ? waitStrategy : s.waitStrategy(), s.cpu(), s.where());
    }
}

package dev.dataforge.tuning;

/**
 * How the process and sink stages get their threads ({@code runtime.stage_threads}): one each, or one for both.
 * Below {@link #AUTO_SHARED_BELOW_CPUS} CPUs {@code auto} shares: three busy threads on two cores cost milliseconds.
 */
public final class StageThreads
{
    public static final String AUTO = "auto";
    public static final String SHARED = "shared";
    public static final String DEDICATED = "dedicated";
    public static final int AUTO_SHARED_BELOW_CPUS = 4;

    private StageThreads()
    {
    }

    /**
     * @param mode {@link #AUTO}, {@link #SHARED} or {@link #DEDICATED}.
     * @param cpus the CPUs the pipeline may use.
     * @return true when the process and sink stages run fused on one thread.
     */
    public static boolean shared(final String mode, final int cpus)
    {
        return SHARED.equals(mode) || AUTO.equals(mode) && cpus < AUTO_SHARED_BELOW_CPUS;
    }
}

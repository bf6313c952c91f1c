package dev.dataforge.core.runtime;

/** Ends a failed stage's processor loop; the failure itself was reported to the pipeline already. */
final class StageHalted extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    StageHalted()
    {
        super("stage halted", null, false, false);
    }
}

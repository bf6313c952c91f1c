package dev.dataforge.perf.bench;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/**
 * One run of an engine at a rate: what it held, its latencies (end to end, corrected for coordinated omission where
 * the load is paced, and per stage), what its hot threads allocated per event in steady state, and the GC pauses
 * of that steady window (from 20% to 90% of the run's events).
 *
 * @param targetRate   events/s asked for; 0 as fast as it goes.
 * @param stages       per stage name, its histogram of nanoseconds (the stage's own time per event, a commit).
 * @param bytesPerEvent allocated by the engine's threads per event in the steady window; NaN where not measured.
 */
record Figures(String engine, long targetRate, double achievedRate, long events, Histogram endToEnd,
    Map<String, Histogram> stages, double bytesPerEvent, List<GcPauses.Gc> pauses, double steadySeconds)
{
    /** @return true when the run kept up with its rate (within 2%) or had none. */
    boolean held()
    {
        return targetRate == 0 || achievedRate >= targetRate * 0.98;
    }

    long pauseMillis()
    {
        return pauses.stream().mapToLong(GcPauses.Gc::millis).sum();
    }

    long maxPauseMillis()
    {
        return pauses.stream().mapToLong(GcPauses.Gc::millis).max().orElse(0);
    }

    /** @return the end-to-end percentile {@code p} (0-100) in nanoseconds. */
    long e2e(final double p)
    {
        return endToEnd.getValueAtPercentile(p);
    }
}

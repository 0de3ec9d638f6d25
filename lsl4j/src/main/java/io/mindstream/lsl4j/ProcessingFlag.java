package io.mindstream.lsl4j;

/** Inlet-side timestamp post-processing, as liblsl's {@code proc_*} flags. All are local to the inlet. */
public enum ProcessingFlag {
    /** Add the current time correction so that timestamps are in this machine's {@link LslClock}. */
    CLOCKSYNC,
    /** Smooth timestamps of regular streams with a recursive least-squares fit of time against sample index. */
    DEJITTER,
    /** Never return a timestamp smaller than the previous one. */
    MONOTONIZE
}

package golab.runtime.gc;

import java.util.Arrays;

/**
 * Which Go release's pacer a {@link Pacer} follows. The heap goal, the trigger bounds, assists and the worker
 * counts are the same in both; they differ in three places (go-runtime.md §8.2, §8.4):
 * <ul>
 * <li><b>cons/mark smoothing</b> ({@code endCycle}): Go 1.19 feeds each measurement to a PI controller (kp = 0.9,
 *     ti = 4.0, tt = 1000, output clamped to ±1000, reset to 0 if it overflows); Go 1.21 takes the maximum of the
 *     measurement and the previous four measurements.</li>
 * <li><b>{@code triggered}</b> (the heap size the measurement counts allocation from): Go 1.19 uses the trigger
 *     precomputed at {@code startCycle}; Go 1.21 uses the actual {@code heapLive} there (Go issue 53892).</li>
 * <li><b>memory-limit headroom</b> ({@code memoryLimitHeapGoal}): 1 MiB in Go 1.19; max(3 % of the goal, 1 MiB)
 *     in Go 1.21.</li>
 * </ul>
 */
public enum PacerVersion {
    /** The pacer of Go 1.19, the first release with a memory limit. */
    GO1_19("1.19"),
    /** The pacer of Go 1.21, unchanged through 1.23 (and assumed for 1.24): the current one and the default. */
    GO1_21("1.21");

    /** The Go release as Go names it ({@code 1.19}): what {@link #parse} reads. */
    public final String release;

    PacerVersion(String release) {
        this.release = release;
    }

    private static final long MIN_HEADROOM = 1L << 20;
    private static final long HEADROOM_PERCENT = 3;

    /** The version used when none is chosen: {@link #GO1_21}. */
    public static PacerVersion current() {
        return GO1_21;
    }

    /**
     * The version named by its {@link #release}, {@code 1.19} or {@code 1.21}.
     *
     * @throws IllegalArgumentException naming {@code what} (the flag or field it came from) and the allowed values
     */
    public static PacerVersion parse(String what, String value) {
        for (PacerVersion v : values()) {
            if (v.release.equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException(what + ": \"" + value + "\" is not a pacer version; allowed: "
                + String.join(", ", Arrays.stream(values()).map(v -> v.release).toList()));
    }

    /**
     * The headroom subtracted from a memory-limit-derived heap goal {@code goal} to absorb pacing errors (Go's
     * {@code memoryLimitMinHeapGoalHeadroom} and, since 1.21, {@code memoryLimitHeapGoalHeadroomPercent}).
     */
    long memoryLimitHeadroom(long goal) {
        return switch (this) {
            case GO1_19 -> MIN_HEADROOM;
            // Divide first, as Go does, so the headroom of 150 MiB is exactly 4.5 MiB.
            case GO1_21 -> Math.max(goal / 100 * HEADROOM_PERCENT, MIN_HEADROOM);
        };
    }
}

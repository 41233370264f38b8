package golab.workloads;

import golab.runtime.GoConfig;
import golab.runtime.gc.GcSettings;

/**
 * The parameters lab workloads share, with Go's syntax: {@value #GOMAXPROCS} (1 to 1024), {@value #GOGC}
 * ({@code off} or a percent), {@value #GOMEMLIMIT} ({@code off} or bytes with a suffix B, KiB, MiB, GiB or TiB)
 * and {@value #LIVE_HEAP} (bytes, same suffixes). The forks parse them here when a trial starts, and
 * {@code golab bench} checks them here before anything runs, so both reject a value with the same message.
 */
public final class WorkloadParameters {

    public static final String GOMAXPROCS = "gomaxprocs";
    public static final String GOGC = "gogc";
    public static final String GOMEMLIMIT = "gomemlimit";
    public static final String LIVE_HEAP = "liveHeap";

    private WorkloadParameters() {
    }

    /** Rejects a malformed value of a shared parameter, naming it and what is allowed; other names pass. */
    public static void check(String name, String value) {
        switch (name) {
            case GOMAXPROCS -> GoConfig.parseGomaxprocs(value);
            case GOGC -> GcSettings.parseGOGC(value);
            case GOMEMLIMIT -> GcSettings.parseGOMEMLIMIT(value);
            case LIVE_HEAP -> bytes(name, value);
            default -> {
            }
        }
    }

    /** Bytes in Go's syntax ({@code 64MiB}, {@code 1GiB}, {@code 4096}): the parser of GOMEMLIMIT, {@code off} refused. */
    public static long bytes(String parameter, String value) {
        try {
            long bytes = GcSettings.parseGOMEMLIMIT(value);
            if (bytes != GcSettings.NO_MEMORY_LIMIT) {
                return bytes;
            }
        } catch (IllegalArgumentException malformed) {
            // Reported below, under the parameter's own name.
        }
        throw new IllegalArgumentException(parameter + "=" + value + ": allowed values are a number of bytes with an "
                + "optional suffix B, KiB, MiB, GiB or TiB, such as 64MiB");
    }

    /**
     * The heap a live heap of {@code live} bytes grows to: Go's heap goal, {@code live × (1 + GOGC/100)}, held
     * down to the memory limit but never below the live heap; with GOGC off and no limit, the live heap (a run
     * that never collects is sized by its allocation, which is not known here).
     */
    public static long heapGoal(long live, int gogc, long memoryLimit) {
        double goal = gogc == GcSettings.GOGC_OFF ? Double.MAX_VALUE : live * (1 + gogc / 100.0);
        if (memoryLimit != GcSettings.NO_MEMORY_LIMIT) {
            goal = Math.min(goal, Math.max(live, memoryLimit));
        }
        return goal == Double.MAX_VALUE ? live : (long) Math.min(goal, Long.MAX_VALUE);
    }
}

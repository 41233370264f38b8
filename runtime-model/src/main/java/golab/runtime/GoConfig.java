package golab.runtime;

import golab.runtime.gc.GcSettings;
import golab.runtime.gc.PacerVersion;
import java.io.PrintStream;
import java.util.Map;

/**
 * How a run is configured: the knobs Go takes from its environment.
 *
 * @param gomaxprocs number of Ps (GOMAXPROCS), 1 to {@value #MAX_GOMAXPROCS}
 * @param maxThreads the thread limit (debug.SetMaxThreads; Go's default 10000)
 * @param godebug    GODEBUG settings
 * @param stderr     where trace lines go (Go writes them to standard error)
 * @param arenaBytes address space reserved for the model heap (mapped lazily, so it costs no memory
 *                   until used); the heap can never grow beyond it
 * @param gogc       GOGC: the heap may grow this many percent over the live heap and roots before a cycle
 *                   ({@link GcSettings#GOGC_OFF} = off)
 * @param gomemlimit GOMEMLIMIT in bytes ({@link GcSettings#NO_MEMORY_LIMIT} = none)
 * @param pacer      which Go release's pacer to model
 */
public record GoConfig(int gomaxprocs, int maxThreads, GoDebug godebug, PrintStream stderr, long arenaBytes,
                       int gogc, long gomemlimit, PacerVersion pacer) {

    /** The largest GOMAXPROCS accepted. */
    public static final int MAX_GOMAXPROCS = 1024;
    /** Go's default thread limit. */
    public static final int DEFAULT_MAX_THREADS = 10_000;
    /** The default heap reservation: 16 GiB of address space. */
    public static final long DEFAULT_ARENA_BYTES = 16L << 30;
    /** The smallest heap reservation: one 4 MiB chunk of the page allocator. */
    public static final long MIN_ARENA_BYTES = 4L << 20;

    public GoConfig {
        if (gomaxprocs < 1 || gomaxprocs > MAX_GOMAXPROCS) {
            throw new IllegalArgumentException("GOMAXPROCS=" + gomaxprocs + ": allowed values are integers from 1 to "
                    + MAX_GOMAXPROCS);
        }
        if (maxThreads < 2) {
            throw new IllegalArgumentException("max threads=" + maxThreads + ": must be at least 2 (one M and sysmon)");
        }
        if (arenaBytes < MIN_ARENA_BYTES) {
            throw new IllegalArgumentException("arena bytes=" + arenaBytes + ": must be at least " + MIN_ARENA_BYTES
                    + " (4 MiB)");
        }
        if (godebug == null || stderr == null || pacer == null) {
            throw new IllegalArgumentException("godebug, stderr and pacer must not be null");
        }
        if (gogc < GcSettings.GOGC_OFF) {
            throw new IllegalArgumentException("GOGC=" + gogc + ": allowed values are \"off\" or a non-negative integer percent");
        }
        if (gomemlimit < 0) {
            throw new IllegalArgumentException("GOMEMLIMIT=" + gomemlimit + ": must be a non-negative number of bytes");
        }
    }

    /** GOMAXPROCS = number of CPUs, Go's thread limit, no GODEBUG, traces to {@code System.err}. */
    public static GoConfig defaults() {
        return new GoConfig(Runtime.getRuntime().availableProcessors(), DEFAULT_MAX_THREADS, GoDebug.NONE, System.err,
                DEFAULT_ARENA_BYTES, GcSettings.DEFAULT_GOGC, GcSettings.NO_MEMORY_LIMIT, PacerVersion.GO1_21);
    }

    /**
     * The defaults overridden by {@code GOMAXPROCS} and {@code GODEBUG} from {@code env}, validated: a value
     * that is not a number, or out of range, or an unknown GODEBUG option, is rejected with a message naming
     * it and the allowed values.
     */
    public static GoConfig fromEnvironment(Map<String, String> env) {
        GoConfig c = defaults();
        String procs = env.get("GOMAXPROCS");
        if (procs != null && !procs.isBlank()) {
            c = c.withGomaxprocs(parseGomaxprocs(procs));
        }
        String godebug = env.get("GODEBUG");
        if (godebug != null) {
            c = c.withGodebug(GoDebug.parse(godebug));
        }
        String gogc = env.get("GOGC");
        if (gogc != null) {
            c = c.withGogc(GcSettings.parseGOGC(gogc));
        }
        String limit = env.get("GOMEMLIMIT");
        if (limit != null) {
            c = c.withGomemlimit(GcSettings.parseGOMEMLIMIT(limit));
        }
        return c;
    }

    /** Parses a GOMAXPROCS value, rejecting anything but an integer from 1 to {@value #MAX_GOMAXPROCS}. */
    public static int parseGomaxprocs(String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_GOMAXPROCS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("GOMAXPROCS=" + value + ": allowed values are integers from 1 to " + MAX_GOMAXPROCS);
    }

    public GoConfig withGomaxprocs(int n) {
        return new GoConfig(n, maxThreads, godebug, stderr, arenaBytes, gogc, gomemlimit, pacer);
    }

    public GoConfig withMaxThreads(int n) {
        return new GoConfig(gomaxprocs, n, godebug, stderr, arenaBytes, gogc, gomemlimit, pacer);
    }

    public GoConfig withGodebug(GoDebug d) {
        return new GoConfig(gomaxprocs, maxThreads, d, stderr, arenaBytes, gogc, gomemlimit, pacer);
    }

    public GoConfig withGodebug(String godebug) {
        return withGodebug(GoDebug.parse(godebug));
    }

    public GoConfig withStderr(PrintStream out) {
        return new GoConfig(gomaxprocs, maxThreads, godebug, out, arenaBytes, gogc, gomemlimit, pacer);
    }

    public GoConfig withArenaBytes(long bytes) {
        return new GoConfig(gomaxprocs, maxThreads, godebug, stderr, bytes, gogc, gomemlimit, pacer);
    }

    /** GOGC as a percent, or {@link GcSettings#GOGC_OFF}. */
    public GoConfig withGogc(int percent) {
        return new GoConfig(gomaxprocs, maxThreads, godebug, stderr, arenaBytes, percent, gomemlimit, pacer);
    }

    /** GOGC in Go's syntax: a percent or "off". */
    public GoConfig withGogc(String value) {
        return withGogc(GcSettings.parseGOGC(value));
    }

    /** GOMEMLIMIT in bytes, or {@link GcSettings#NO_MEMORY_LIMIT}. */
    public GoConfig withGomemlimit(long bytes) {
        return new GoConfig(gomaxprocs, maxThreads, godebug, stderr, arenaBytes, gogc, bytes, pacer);
    }

    /** GOMEMLIMIT in Go's syntax: bytes with an optional B/KiB/MiB/GiB/TiB suffix, or "off". */
    public GoConfig withGomemlimit(String value) {
        return withGomemlimit(GcSettings.parseGOMEMLIMIT(value));
    }

    public GoConfig withPacer(PacerVersion version) {
        return new GoConfig(gomaxprocs, maxThreads, godebug, stderr, arenaBytes, gogc, gomemlimit, version);
    }
}

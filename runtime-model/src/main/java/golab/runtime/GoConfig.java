package golab.runtime;

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
 */
public record GoConfig(int gomaxprocs, int maxThreads, GoDebug godebug, PrintStream stderr, long arenaBytes) {

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
        if (godebug == null || stderr == null) {
            throw new IllegalArgumentException("godebug and stderr must not be null");
        }
    }

    /** GOMAXPROCS = number of CPUs, Go's thread limit, no GODEBUG, traces to {@code System.err}. */
    public static GoConfig defaults() {
        return new GoConfig(Runtime.getRuntime().availableProcessors(), DEFAULT_MAX_THREADS, GoDebug.NONE, System.err,
                DEFAULT_ARENA_BYTES);
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
        return new GoConfig(n, maxThreads, godebug, stderr, arenaBytes);
    }

    public GoConfig withMaxThreads(int n) {
        return new GoConfig(gomaxprocs, n, godebug, stderr, arenaBytes);
    }

    public GoConfig withGodebug(GoDebug d) {
        return new GoConfig(gomaxprocs, maxThreads, d, stderr, arenaBytes);
    }

    public GoConfig withGodebug(String godebug) {
        return withGodebug(GoDebug.parse(godebug));
    }

    public GoConfig withStderr(PrintStream out) {
        return new GoConfig(gomaxprocs, maxThreads, godebug, out, arenaBytes);
    }

    public GoConfig withArenaBytes(long bytes) {
        return new GoConfig(gomaxprocs, maxThreads, godebug, stderr, bytes);
    }
}

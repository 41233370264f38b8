package golab.runtime;

import golab.runtime.sched.Park;
import golab.runtime.sched.Sched;

/**
 * Runs a Go-style program: {@code main} becomes goroutine 1 on a fresh scheduler with its own Ms, Ps and
 * sysmon.
 *
 * <p>{@link #run} returns when {@code main} returns; like Go's exit, this abandons every other goroutine
 * (their {@code finally} blocks do not run). All the run's threads are stopped before it returns. A
 * goroutine's uncaught exception ends the run with a {@link GoPanic}; a deadlock or other runtime failure
 * with a {@link GoFatalError}.
 */
public final class GoRuntime {

    private GoRuntime() {
    }

    /** Runs {@code main} as goroutine 1 under {@code config} and waits for the run to end. */
    public static void run(GoConfig config, Runnable main) {
        if (Park.onGoroutine()) {
            throw new IllegalStateException("GoRuntime.run: called from a goroutine; runs cannot be nested");
        }
        Sched sched = new Sched(config);
        sched.start(main);
        try {
            sched.awaitExit();
        } catch (InterruptedException e) {
            sched.fatal("run interrupted", "");
            Thread.currentThread().interrupt();
            throw new IllegalStateException("GoRuntime.run: interrupted while waiting for main", e);
        }
    }

    /** Runs {@code main} with {@link GoConfig#defaults()}. */
    public static void run(Runnable main) {
        run(GoConfig.defaults(), main);
    }
}

package golab.runtime;

import golab.runtime.gc.GcSettings;
import golab.runtime.metrics.RuntimeMetrics;
import golab.runtime.sched.BlockingCall;
import golab.runtime.sched.Park;
import golab.runtime.sched.Sched;
import golab.runtime.sched.Sleep;
import golab.runtime.sched.Syscalls;
import golab.runtime.sched.WorldStop;
import java.time.Duration;

/**
 * The language-level operations a goroutine uses: the {@code go} statement, {@code runtime.Gosched},
 * {@code time.Sleep}, {@code runtime.GOMAXPROCS}, blocking calls, and the safepoint a preemptible loop
 * polls. Each must be called on a goroutine (inside {@link GoRuntime#run}) and each is a safepoint.
 */
public final class Go {

    private Go() {
    }

    /** The {@code go} statement: starts {@code fn} as a new goroutine, which runs next on this P. */
    public static void go(Runnable fn) {
        if (fn == null) {
            throw new IllegalArgumentException("go: nil func");
        }
        Sched.newproc(fn);
    }

    /** Yields the processor, letting other goroutines run (runtime.Gosched). */
    public static void gosched() {
        Park.gosched();
    }

    /**
     * A safepoint: stops here if sysmon asked this goroutine to yield (it ran 10 ms) or the world is being
     * stopped. Loops that Go 1.14+ could preempt asynchronously call this; a loop without it starves its
     * P the way Go 1.13 did.
     */
    public static void checkpoint() {
        Park.checkpoint();
    }

    /** Parks the goroutine for at least {@code d} (time.Sleep). */
    public static void sleep(Duration d) {
        Sleep.sleep(d.toNanos());
    }

    /**
     * Runs {@code call} as a blocking system call: the goroutine's M blocks in it, and if it blocks for long
     * sysmon hands the P to another M so the other goroutines keep running.
     */
    public static <T, X extends Exception> T syscall(BlockingCall<T, X> call) throws X {
        return Syscalls.syscall(call);
    }

    /** Sets GOMAXPROCS (stopping the world) and returns the previous value; {@code n ≤ 0} only reads it. */
    public static int gomaxprocs(int n) {
        return WorldStop.gomaxprocs(n);
    }

    /**
     * Forces a garbage-collection cycle and waits until it has marked and swept the heap (runtime.GC).
     */
    public static void gc() {
        Park.sched().gc.gc();
    }

    /** Sets GOGC at run time, effective at once; returns the previous value (debug.SetGCPercent; -1 = off). */
    public static int setGCPercent(int percent) {
        if (percent < GcSettings.GOGC_OFF) {
            percent = GcSettings.GOGC_OFF; // Go: any negative value turns the collector off
        }
        return Park.sched().gc.setGCPercent(percent);
    }

    /** Sets GOMEMLIMIT at run time, effective at once; returns the previous value (debug.SetMemoryLimit). */
    public static long setMemoryLimit(long bytes) {
        if (bytes < 0) {
            return Park.sched().gc.pacer().memoryLimit(); // Go: a negative value only reads the limit
        }
        return Park.sched().gc.setMemoryLimit(bytes);
    }

    /**
     * Returns every free page of the model heap to the OS (runtime/debug.FreeOSMemory, without the GC cycle
     * that Go runs first until golab's collector exists); returns the bytes released. The paced background
     * scavenger needs the pacer's heap goal and comes with the collector.
     */
    public static long freeOSMemory() {
        return Park.sched().heap.scavenge(Long.MAX_VALUE);
    }

    /** The number of goroutines that exist (runtime.NumGoroutine). */
    public static int numGoroutine() {
        return Park.sched().gcount();
    }

    /** The calling goroutine's id. */
    public static long goid() {
        return Park.getg().goid();
    }

    /** The runtime/metrics of the current run. */
    public static RuntimeMetrics metrics() {
        return Park.sched().metrics();
    }
}

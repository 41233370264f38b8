package golab.workloads.record;

import golab.runtime.Go;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Two sleepers that ask to wake every millisecond and record how late they wake, as jHiccup does: a goroutine
 * (its lateness is the golab scheduler's: timers, run queues, CPU-bound goroutines, mark workers, assists and
 * stop-the-world pauses) and a platform thread outside golab (its lateness is the machine's and the JVM's:
 * OS scheduling, JVM safepoints and GC). When the goroutine is late and the thread is not, the delay came
 * from golab's scheduling; when both are, from below it.
 */
public final class HiccupProbe {

    static final long PERIOD_NANOS = 1_000_000;
    private static final Duration PERIOD = Duration.ofNanos(PERIOD_NANOS);

    private final IntervalRecorder goroutineLateness;
    private final IntervalRecorder threadLateness;
    private final Thread thread;
    private volatile boolean stopped;

    /**
     * Starts the platform-thread sleeper now; {@link #runGoroutine} must then be started as a goroutine of the
     * run to be probed.
     */
    public HiccupProbe(IntervalRecorder goroutineLateness, IntervalRecorder threadLateness) {
        this.goroutineLateness = goroutineLateness;
        this.threadLateness = threadLateness;
        thread = Thread.ofPlatform().name("golab-hiccup-probe").daemon(true).start(this::runThread);
    }

    /** The goroutine sleeper's body: {@code go probe.runGoroutine()}. Returns once the probe is stopped. */
    public void runGoroutine() {
        while (!stopped) {
            long asleep = System.nanoTime();
            Go.sleep(PERIOD);
            goroutineLateness.recordValue(Math.max(0, System.nanoTime() - asleep - PERIOD_NANOS));
        }
    }

    private void runThread() {
        while (!stopped) {
            long asleep = System.nanoTime();
            LockSupport.parkNanos(PERIOD_NANOS);
            threadLateness.recordValue(Math.max(0, System.nanoTime() - asleep - PERIOD_NANOS));
        }
    }

    /** Stops both sleepers after their current sleep and waits for the thread. */
    public void stop() throws InterruptedException {
        stopped = true;
        thread.join();
    }
}

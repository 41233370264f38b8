package golab.workloads.record;

import golab.runtime.Go;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Sleepers that ask to wake every millisecond and record how late they wake, as jHiccup does. A platform thread
 * (its lateness is the machine's and the JVM's: OS scheduling, JVM safepoints and GC) always runs; a workload adds
 * the sleeper of the scheduler it runs on: a goroutine (its lateness is the golab scheduler's: timers, run queues,
 * CPU-bound goroutines, mark workers, assists and stop-the-world pauses) or a virtual thread (the JVM's
 * scheduler: carriers busy with other virtual threads). When the scheduler's sleeper is late and the thread is
 * not, the delay came from that scheduler; when both are, from below it.
 */
public final class HiccupProbe {

    static final long PERIOD_NANOS = 1_000_000;

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    /** Starts the platform-thread sleeper now, recording into {@code threadLateness}. */
    public HiccupProbe(IntervalRecorder threadLateness) {
        threads.add(Thread.ofPlatform().name("golab-hiccup-probe").daemon(true)
                .start(() -> sleepUntilStopped(threadLateness, LockSupport::parkNanos)));
    }

    /** A goroutine sleeper's body, to start as a goroutine of the run to be probed. Returns once stopped. */
    public void runGoroutine(IntervalRecorder lateness) {
        sleepUntilStopped(lateness, nanos -> Go.sleep(Duration.ofNanos(nanos)));
    }

    /** Starts a virtual-thread sleeper on the default virtual-thread scheduler. */
    public void startVirtualThread(IntervalRecorder lateness) {
        threads.add(Thread.ofVirtual().name("golab-hiccup-probe-virtual")
                .start(() -> sleepUntilStopped(lateness, LockSupport::parkNanos)));
    }

    /**
     * Stops every sleeper after its current sleep and waits for the threads (a goroutine sleeper ends with its
     * run).
     */
    public void stop() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /**
     * Sleeps a period at a time and records how late each wake-up is. {@code parkNanos} may return early (a
     * spurious wake-up, or an unpark meant for something else), so a sleeper sleeps again until its wake time.
     */
    private void sleepUntilStopped(IntervalRecorder lateness, LongConsumer sleepNanos) {
        while (!stopped) {
            long wake = System.nanoTime() + PERIOD_NANOS;
            long now;
            while ((now = System.nanoTime()) < wake) {
                sleepNanos.accept(wake - now);
            }
            lateness.recordValue(now - wake);
        }
    }
}

package golab.runtime.gc;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The GC CPU limiter (Go's {@code gcCPULimiterState}, mgclimit.go; go-runtime.md §8.6): a leaky bucket of
 * capacity GOMAXPROCS × 1 s that fills with GC CPU time and drains with mutator CPU time at the same rate. When it
 * is full the limiter is on: assists stop, so the GC gets no more than about half of the non-idle CPU over a
 * window of about 2 × GOMAXPROCS CPU-seconds, and the heap may overshoot its goal instead (the death-spiral
 * guard). The bucket never goes below empty, so idle stretches earn the GC no credit for later.
 *
 * <p>GC time is assist time plus, while marking, the background workers' 25 %; idle time (Ps on the idle list and
 * idle mark workers) is neither GC nor mutator time. Stop-the-world transitions count all GOMAXPROCS as GC.
 *
 * <p>Thread-safety: {@link #addAssistTime}, {@link #addIdleTime}, {@link #limiting} and {@link #needUpdate} are
 * lock-free; the rest take the limiter's monitor. Go drops an update that finds the limiter busy; here it waits,
 * except that an update during a GC transition is dropped, as in Go.
 */
public final class CpuLimiter {

    /** Bucket capacity per P, in ns ({@code capacityPerProc}). */
    public static final long CAPACITY_PER_PROC = 1_000_000_000L;

    /** Longest wall time between updates the scheduler lets pass ({@code gcCPULimiterUpdatePeriod}). */
    public static final long UPDATE_PERIOD_NANOS = 10_000_000L;

    private final AtomicLong assistTimePool = new AtomicLong();
    private final AtomicLong idleTimePool = new AtomicLong();
    private volatile boolean enabled;
    private volatile long lastUpdate;
    private volatile long lastEnabledCycle;
    private volatile long completedCycles;

    // Guarded by this.
    private long fill;
    private long capacity;
    private long overflow;
    private int nprocs;
    private boolean gcEnabled;
    private boolean transitioning;

    /**
     * An empty bucket for {@code procs} Ps, last updated at {@code nowNanos}.
     *
     * @throws IllegalArgumentException if {@code procs < 1}
     */
    public CpuLimiter(int procs, long nowNanos) {
        checkProcs(procs);
        nprocs = procs;
        capacity = procs * CAPACITY_PER_PROC;
        lastUpdate = nowNanos;
    }

    private static void checkProcs(int procs) {
        if (procs < 1) {
            throw new IllegalArgumentException("procs " + procs + " is invalid: must be >= 1");
        }
    }

    /** Whether the limiter is on: assists must not run. */
    public boolean limiting() {
        return enabled;
    }

    /**
     * Begins a GC transition (a stop-the-world pause turning marking on or off): flushes the time since the last
     * update under the old state and blocks updates until {@link #finishGCTransition}.
     *
     * @throws IllegalStateException if a transition is already under way or marking is already {@code enableGC}
     */
    public synchronized void startGCTransition(boolean enableGC, long nowNanos) {
        if (transitioning) {
            throw new IllegalStateException("startGCTransition: a GC transition is already under way");
        }
        if (gcEnabled == enableGC) {
            throw new IllegalStateException("startGCTransition: GC marking is already " + (enableGC ? "on" : "off"));
        }
        updateLocked(nowNanos);
        gcEnabled = enableGC;
        transitioning = true;
    }

    /**
     * Ends a GC transition at {@code nowNanos}, the end of the pause: the pause counts as GC time on every P, since
     * it kept the mutator off all of them.
     *
     * @throws IllegalStateException if no transition was started
     */
    public synchronized void finishGCTransition(long nowNanos) {
        if (!transitioning) {
            throw new IllegalStateException("finishGCTransition: no GC transition was started");
        }
        long last = lastUpdate;
        if (nowNanos >= last) {
            accumulate(0, (nowNanos - last) * nprocs);
        }
        lastUpdate = nowNanos;
        transitioning = false;
    }

    /** Whether more than {@link #UPDATE_PERIOD_NANOS} passed since the last update. */
    public boolean needUpdate(long nowNanos) {
        return nowNanos - lastUpdate > UPDATE_PERIOD_NANOS;
    }

    /** Adds mark-assist (or scavenge-assist) CPU time, counted as GC time at the next update. */
    public void addAssistTime(long nanos) {
        assistTimePool.addAndGet(nanos);
    }

    /** Adds idle CPU time (a P on the idle list, or an idle mark worker), left out at the next update. */
    public void addIdleTime(long nanos) {
        idleTimePool.addAndGet(nanos);
    }

    /**
     * Accounts the CPU time since the last update: window = elapsed × GOMAXPROCS; GC = pooled assist time plus,
     * while marking, 25 % of the window; mutator = window − idle − GC; fill = clamp(fill + GC − mutator, 0,
     * capacity). Dropped during a GC transition, which accounts that time itself.
     */
    public synchronized void update(long nowNanos) {
        if (!transitioning) {
            updateLocked(nowNanos);
        }
    }

    private void updateLocked(long now) {
        long last = lastUpdate;
        if (now < last) {
            return; // a stale clock reading: a later update already covered this window
        }
        long window = (now - last) * nprocs;
        lastUpdate = now;
        long assist = assistTimePool.getAndSet(0);
        long idle = idleTimePool.getAndSet(0);
        long gcTime = assist;
        if (gcEnabled) {
            // The background share is of the whole window, idle included: the workers run regardless.
            gcTime += (long) (window * Pacer.GC_BACKGROUND_UTILIZATION);
        }
        // Idle time is subtracted so that an undersubscribed program thrashing in GC still turns the limiter on.
        accumulate(window - idle - gcTime, gcTime);
    }

    private void accumulate(long mutatorTime, long gcTime) {
        long headroom = capacity - fill;
        boolean wasEnabled = headroom == 0;
        long change = gcTime - mutatorTime;
        if (change > 0 && headroom <= change) {
            overflow += change - headroom;
            fill = capacity;
            if (!wasEnabled) {
                enabled = true;
                lastEnabledCycle = completedCycles + 1;
            }
            return;
        }
        fill = Math.max(0, fill + change);
        if (change != 0 && wasEnabled) {
            enabled = false;
        }
    }

    /**
     * Adapts the capacity to a new GOMAXPROCS after flushing the time so far (Go calls this from
     * {@code procresize}). Must not be called while the GC is marking. A bucket fuller than the new capacity is
     * cut to it and turns the limiter on.
     *
     * @throws IllegalStateException during a GC transition
     */
    public synchronized void resetCapacity(long nowNanos, int procs) {
        checkProcs(procs);
        if (transitioning) {
            throw new IllegalStateException("resetCapacity: called during a GC transition");
        }
        updateLocked(nowNanos);
        nprocs = procs;
        capacity = procs * CAPACITY_PER_PROC;
        if (fill > capacity) {
            fill = capacity;
            enabled = true;
            lastEnabledCycle = completedCycles + 1;
        } else if (fill < capacity) {
            enabled = false;
        }
    }

    /**
     * Tells the limiter how many GC cycles have completed (Go's {@code memstats.numgc}), so that
     * {@link #lastEnabledCycle()} can name the cycle under way when it turns on.
     */
    public void setCompletedCycles(long cycles) {
        completedCycles = cycles;
    }

    /** The last GC cycle (1-based) during which the limiter turned on, 0 if never: /gc/limiter/last-enabled. */
    public long lastEnabledCycle() {
        return lastEnabledCycle;
    }

    /** GC CPU time, in ns, that the full bucket could not hold: how far the GC wanted to exceed the limit. */
    public synchronized long overflow() {
        return overflow;
    }

    public synchronized long fill() {
        return fill;
    }

    public synchronized long capacity() {
        return capacity;
    }

    /** When the bucket was last brought up to date, in ns. */
    public long lastUpdate() {
        return lastUpdate;
    }
}

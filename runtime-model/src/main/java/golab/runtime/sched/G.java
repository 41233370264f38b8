package golab.runtime.sched;

import golab.runtime.heap.Stack;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * A goroutine: Go's {@code g} (runtime2.go).
 *
 * <p>The goroutine's code runs in a {@link Continuation}; an M runs it with {@code cont.run()} and the
 * goroutine gives the M back by yielding the continuation (Go's {@code mcall}), after leaving in
 * {@link M#switchAction} what the M must do on its behalf (park, requeue, exit...). Everything the M does
 * after that runs with the goroutine already off the stack: this is how {@code gopark}'s unlock
 * callback runs "after the switch".
 *
 * <p>G objects are never freed: a dead G goes to a free list (per P, then global) and is reused by a
 * later {@code go} statement with a fresh continuation, as Go reuses its {@code g} structs.
 *
 * <p>Invariant: {@link #status} changes only through {@link #casgstatus}, which rejects transitions
 * Go's runtime never makes.
 */
public final class G {

    static final ContinuationScope SCOPE = new ContinuationScope("goroutine");

    /**
     * Go's _Gscan bit, or-ed into {@link #status} while a stack scanner holds the goroutine still: a status
     * change waits until the scanner drops it ({@link #casgstatus} spins, as Go's does).
     */
    static final int SCAN = 0x1000;

    /** One in this many transitions out of running is timed for {@code /sched/latencies} (Go's gTrackingPeriod). */
    static final int TRACKING_PERIOD = 8;

    private static final VarHandle STATUS;
    private static final VarHandle SELECT_DONE;
    private static final VarHandle PREEMPT;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(G.class, "status", int.class);
            SELECT_DONE = MethodHandles.lookup().findVarHandle(G.class, "selectDone", int.class);
            PREEMPT = MethodHandles.lookup().findVarHandle(G.class, "preempt", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Sched sched;
    /** Goroutine id; main is 1. */
    long goid;
    /** The {@link GStatus} ordinal, with {@link #SCAN} while scanned: an int so the CAS on every switch carries no GC barrier. */
    private volatile int status = GStatus.IDLE.ordinal();
    /** Plain: set before parking, read racily by dumps. */
    WaitReason waitReason = WaitReason.ZERO;
    /** nanoTime at which the goroutine last started waiting, for "N minutes" in dumps. */
    long waitSince;
    /**
     * The M running this goroutine, or null. Written by that M before it resumes the goroutine and read by
     * the goroutine on the same thread, so no fence is needed; other threads read it racily.
     */
    M m;
    /**
     * Preemption request: the goroutine yields at its next safepoint (Go's gp.preempt + stackguard0 poison).
     * Volatile so that a polling loop re-reads it; cleared without a fence by {@link #clearPreempt}.
     */
    volatile boolean preempt;
    /** With {@link #preempt}: stop in {@link GStatus#PREEMPTED} for a stack scan, not yield (Go's preemptStop). */
    volatile boolean preemptStop;
    /** Wake-up payload, Go's gp.param (for channels, the sudog that completed). */
    public Object param;
    /** The sudogs this goroutine waits on, in lock order (Go's gp.waiting). */
    public Sudog waiting;
    /** 0 until one of this goroutine's select cases wins the wake-up (Go's selectDone). */
    @SuppressWarnings("unused") // accessed through SELECT_DONE
    private volatile int selectDone;

    Runnable fn;
    Continuation cont;
    long parentGoid;
    CreationSite createdBy;
    long createdAt;
    /** An uncaught exception that ended the goroutine; becomes a panic report. */
    Throwable panic;
    /** The blocking call this goroutine asked its M to make, and its outcome (see {@link Syscalls}). */
    BlockingCall<?, ?> syscall;
    Object syscallResult;
    Throwable syscallError;
    /** Intrusive link for run queues and free lists (Go's schedlink). */
    G schedlink;
    /** The goroutine's stack (Go's g.stack); a dead G keeps a starting-size one for its next life. */
    final Stack stack;

    /** A goroutine of the runtime itself (mark worker, sweeper): not counted, not in deadlock checks (isSystemGoroutine). */
    boolean system;
    /**
     * Go's gcAssistBytes: bytes this goroutine may still allocate in the current mark phase before it must
     * assist; negative is debt. Touched by the goroutine itself, and by the collector with the world stopped
     * or while the goroutine is parked in the assist queue.
     */
    public long gcAssistBytes;

    // Scheduling-latency sampling (Go's tracking, trackingSeq, trackingStamp, runnableTime).
    boolean tracking;
    int trackingSeq;
    long trackingStamp;
    long runnableTime;

    G(Sched sched) {
        this.sched = sched;
        this.stack = new Stack(sched == null ? null : sched.stacks);
    }

    /**
     * The goroutine running on the calling thread, or null. Found through the mounted continuation, never
     * through {@code Thread.currentThread()}, which C2 may fold to a stale M after a migration.
     */
    static G current() {
        return Continuation.getCurrentContinuation(SCOPE) instanceof GoroutineContinuation c ? c.g : null;
    }

    /** The scheduler this goroutine belongs to. */
    public Sched sched() {
        return sched;
    }

    /**
     * The allocation cache of the P running this goroutine (getg().m.p.mcache). Only meaningful to the
     * goroutine itself, between safepoints.
     */
    public golab.runtime.heap.MCache mcache() {
        return m.p.mcache;
    }

    /** This goroutine's stack. */
    public Stack stack() {
        return stack;
    }

    /** This goroutine's id. */
    public long goid() {
        return goid;
    }

    /** Drops a pending preemption request as the goroutine starts a run (execute); an opaque store, no fence. */
    void clearPreempt() {
        PREEMPT.setOpaque(this, false);
    }

    /** Whether this goroutine has been asked to yield at its next safepoint. */
    public boolean preemptRequested() {
        return preempt;
    }

    /**
     * Go's suspendG of a running goroutine: asks it to stop at its next safepoint, on no queue, in
     * {@link GStatus#PREEMPTED}, so that a stack scan can claim it there ({@link #tryClaimPreempted}).
     */
    public void requestStop() {
        preemptStop = true;
        preempt = true;
    }

    /**
     * Withdraws a {@link #requestStop} once the scanner holds this goroutine in another status (Go's suspendG
     * clears preemptStop when it claims a goroutine that parked, yielded or entered a syscall first).
     */
    public void cancelStop() {
        preemptStop = false;
    }

    /**
     * Go's casGFromPreempted: claims a goroutine stopped by {@link #requestStop}, moving it to WAITING for the
     * caller, which must ready it when done. False if it is not {@link GStatus#PREEMPTED}.
     */
    public boolean tryClaimPreempted() {
        if (!STATUS.compareAndSet(this, GStatus.PREEMPTED.ordinal(), GStatus.WAITING.ordinal())) {
            return false;
        }
        preemptStop = false;
        return true;
    }

    /**
     * Go's casGToPreemptScan in preemptPark: RUNNING to PREEMPTED held with the scan bit, so that no scanner
     * claims it before its M has let go of it ({@link #releaseScan} then).
     */
    void casToPreemptedHeld() {
        if (!STATUS.compareAndSet(this, GStatus.RUNNING.ordinal(), GStatus.PREEMPTED.ordinal() | SCAN)) {
            throw new IllegalStateException("preemptPark: goroutine " + goid + " is " + status() + ", not running");
        }
    }

    /** Claims this goroutine's select wake-up; false if another case already won it. */
    public boolean winSelect() {
        return SELECT_DONE.compareAndSet(this, 0, 1);
    }

    /** Re-arms the select wake-up race (selectgo, after it has parked). */
    public void resetSelect() {
        SELECT_DONE.setVolatile(this, 0);
    }

    /** This goroutine's current status (racy unless the caller owns the goroutine). */
    public GStatus status() {
        return GStatus.of(status & ~SCAN);
    }

    /** Whether this is one of the runtime's own goroutines (Go's isSystemGoroutine). */
    public boolean isSystem() {
        return system;
    }

    /**
     * Go's castogscanstatus: holds the goroutine still in status {@code s} for a stack scan. Fails if it is
     * not in {@code s} or already held. Release with {@link #releaseScan}.
     */
    public boolean tryHoldForScan(GStatus s) {
        return STATUS.compareAndSet(this, s.ordinal(), s.ordinal() | SCAN);
    }

    /** Go's casfrom_Gscanstatus: lets the goroutine held by {@link #tryHoldForScan} change status again. */
    public void releaseScan() {
        int s = status;
        if ((s & SCAN) == 0 || !STATUS.compareAndSet(this, s, s & ~SCAN)) {
            throw new IllegalStateException("releaseScan: goroutine " + goid + " is not held for a scan");
        }
    }

    /** Why this goroutine waits; meaningful only while {@link GStatus#WAITING}. */
    public WaitReason waitReason() {
        return waitReason;
    }

    /**
     * Moves the status from {@code from} to {@code to}, throwing if that transition is not one Go makes or
     * if the goroutine is not in {@code from}. Also samples scheduling latency as Go's casgstatus does.
     */
    void casgstatus(GStatus from, GStatus to) {
        if (!from.canBecome(to)) {
            throw new IllegalStateException("casgstatus: goroutine " + goid + ": illegal transition " + from + " -> " + to);
        }
        while (!STATUS.compareAndSet(this, from.ordinal(), to.ordinal())) {
            int current = status;
            if (current != (from.ordinal() | SCAN) && current != from.ordinal()) {
                throw new IllegalStateException("casgstatus: goroutine " + goid + " is " + status() + ", not " + from
                        + " (moving to " + to + ")");
            }
            Thread.onSpinWait(); // a stack scan holds it, or has just let it go; scans are short
        }
        if (from == GStatus.RUNNING) {
            if (trackingSeq % TRACKING_PERIOD == 0) {
                tracking = true;
            }
            trackingSeq++;
        }
        if (!tracking) {
            return;
        }
        if (from == GStatus.RUNNABLE) {
            runnableTime += System.nanoTime() - trackingStamp;
            trackingStamp = 0;
        }
        if (to == GStatus.RUNNABLE) {
            trackingStamp = System.nanoTime();
        } else if (to == GStatus.RUNNING) {
            tracking = false;
            sched.timeToRun.record(runnableTime);
            runnableTime = 0;
        }
    }

    /** Prepares a dead or new G to run {@code fn} (the part of newproc1 after gfget/malg). */
    void init(Runnable fn, long goid, long parentGoid, CreationSite createdBy, int trackingSeq) {
        this.fn = fn;
        this.goid = goid;
        this.parentGoid = parentGoid;
        this.createdBy = createdBy;
        this.createdAt = sched.coarseNanos;
        this.cont = new GoroutineContinuation(this);
        this.trackingSeq = trackingSeq;
        this.tracking = trackingSeq % TRACKING_PERIOD == 0;
        this.panic = null;
        this.param = null;
        clearPreempt();
        this.preemptStop = false;
        this.waitReason = WaitReason.ZERO;
    }

    /** Clears what a dead G must not keep alive (gdestroy). */
    void destroy() {
        fn = null;
        cont = null;
        param = null;
        panic = null;
        createdBy = null;
        m = null;
        tracking = false;
        runnableTime = 0;
    }

    private void body() {
        try {
            fn.run();
        } catch (Throwable t) {
            panic = t;
        }
    }

    @Override
    public String toString() {
        return "goroutine " + goid + " [" + status() + "]";
    }

    /** The continuation of one goroutine; reports a refused yield instead of swallowing it. */
    private static final class GoroutineContinuation extends Continuation {
        private final G g;

        GoroutineContinuation(G g) {
            super(SCOPE, g::body);
            this.g = g;
        }

        /**
         * The JVM refused to unmount the goroutine (a native frame or critical section is on its stack). The
         * run fails with the goroutine's stack. The goroutine must neither continue as if it had parked nor
         * unwind (an exception through a native upcall frame would abort the JVM), so its thread stays
         * blocked here; it is a daemon and the run's teardown gives up on it.
         */
        @Override
        protected void onPinned(Continuation.Pinned reason) {
            g.sched.fatal("goroutine " + g.goid + " cannot yield: its continuation is pinned (" + reason
                    + "); a native frame or critical section is on its stack", Traceback.current(g));
            while (true) {
                LockSupport.park(this);
            }
        }
    }
}

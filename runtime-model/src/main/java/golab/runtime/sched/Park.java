package golab.runtime.sched;

import golab.runtime.heap.MCache;
import golab.runtime.heap.MHeap;
import golab.runtime.heap.StackCache;
import jdk.internal.vm.Continuation;

/**
 * The goroutine side of the scheduler: Go's {@code getg}, {@code gopark}, {@code goready}, {@code Gosched}
 * and the preemption check of a function prologue. Everything here runs on a goroutine, and each call is a
 * safepoint.
 */
public final class Park {

    private static final int ACTIVE_SPIN = 4;
    private static final int ACTIVE_SPIN_CNT = 30;

    private Park() {
    }

    /** The M running the calling goroutine; fails clearly when called outside a goroutine. */
    static M currentM() {
        G gp = G.current();
        if (gp != null) {
            return gp.m;
        }
        throw new IllegalStateException("not on a goroutine: this runtime call must run inside GoRuntime.run");
    }

    /** The calling goroutine (getg). */
    public static G getg() {
        G gp = G.current();
        if (gp == null) {
            currentM(); // throws the explanation
        }
        return gp;
    }

    /**
     * The calling goroutine, or null when the caller is not one. For runtime calls that also work off a
     * goroutine (a timer's send from the scheduler) and look it up once for the whole call.
     */
    public static G getgOrNull() {
        return G.current();
    }

    /** Whether the calling thread is running a goroutine. */
    public static boolean onGoroutine() {
        return G.current() != null;
    }

    /**
     * Parks the calling goroutine (gopark): it yields, its M marks it {@link GStatus#WAITING} for
     * {@code reason}, and only then calls {@code unlockf.commit(gp, lock)}; see {@link ParkCommit}. Returns
     * when someone {@linkplain #goready readies} it (or at once if the commit declined).
     */
    public static <L> void gopark(ParkCommit<? super L> unlockf, L lock, WaitReason reason) {
        gopark(getg(), unlockf, lock, reason);
    }

    /** {@link #gopark(ParkCommit, Object, WaitReason)} for a caller that holds its goroutine {@code gp}. */
    @SuppressWarnings("unchecked")
    public static <L> void gopark(G gp, ParkCommit<? super L> unlockf, L lock, WaitReason reason) {
        M mp = gp.m;
        mp.waitunlockf = (ParkCommit<Object>) unlockf;
        mp.waitlock = lock;
        gp.waitReason = reason;
        mcall(mp, SwitchAction.PARK);
    }

    /**
     * Claims a parked goroutine for the caller to run at once, moving it from waiting to runnable without
     * queueing it (what findRunnableGCWorker does with a mark worker taken from its pool).
     */
    public static void claimParked(G gp) {
        gp.casgstatus(GStatus.WAITING, GStatus.RUNNABLE);
    }

    /**
     * Makes a parked goroutine runnable on the current P, in runnext if {@code next} or at the tail of the
     * local queue, and wakes a P if one idles (ready).
     */
    public static void ready(G gp, boolean next) {
        gp.sched.ready(gp, next);
    }

    /** Makes a parked goroutine runnable in the current P's runnext and wakes a P if one idles (goready). */
    public static void goready(G gp) {
        goready(gp, G.current());
    }

    /**
     * {@link #goready(G)} by {@code readier}, the calling goroutine, or null when the caller is the scheduler
     * itself (a timer firing): the P is then the calling M's.
     */
    public static void goready(G gp, G readier) {
        gp.sched.ready(gp, readier == null ? M.current().p : readier.m.p, true);
    }

    /**
     * Go's {@code casgstatus(gp, _Grunning, _Gwaiting)} around gcDrain and gcDrainN: the calling goroutine
     * {@code gp}, about to mark for the collector (a background worker, an assist), shows itself WAITING for
     * {@code reason} while it goes on running, so that another marker can scan its stack instead of waiting for
     * it to stop. Two markers each scanning the other's stack would otherwise each wait for the other to reach
     * a safepoint. Until {@link #endMarking} the goroutine must not touch its frames: its stack may be scanned
     * and shrunk (moved) meanwhile, and it must not switch except through {@link #goschedWhileMarking}.
     *
     * @throws IllegalArgumentException if {@code reason} is not a marking reason
     */
    public static void beginMarking(G gp, WaitReason reason) {
        if (!reason.isMarking()) {
            throw new IllegalArgumentException("beginMarking: " + reason + " is not a marking wait reason");
        }
        gp.waitReason = reason;
        gp.casgstatus(GStatus.RUNNING, GStatus.WAITING);
    }

    /** Ends {@link #beginMarking}: RUNNING again, once a stack scan holding the goroutine has let it go. */
    public static void endMarking(G gp) {
        gp.casgstatus(GStatus.WAITING, GStatus.RUNNING);
    }

    /** {@link #gosched()} inside a marking section: RUNNING for the switch, WAITING for the same reason after. */
    public static void goschedWhileMarking(G gp) {
        WaitReason reason = gp.waitReason;
        endMarking(gp);
        gosched();
        beginMarking(gp, reason);
    }

    /** Yields the processor: the goroutine goes to the global queue tail (runtime.Gosched). */
    public static void gosched() {
        M mp = currentM();
        if (mp.sched.exiting) {
            mcall(mp, SwitchAction.ABANDON);
        }
        mcall(mp, SwitchAction.GOSCHED);
    }

    /**
     * Yields to the tail of this P's local queue (goyield): used after handing a lock straight to a waiter,
     * so the waiter runs soon but the global queue is not involved.
     */
    public static void goyield() {
        mcall(currentM(), SwitchAction.GOYIELD);
    }

    /**
     * Whether a goroutine trying to take a contended lock may spin on iteration {@code iter}
     * (sync_runtime_canSpin): only a few times, only on a multicore machine with GOMAXPROCS > 1, only if
     * some other P is running (it may release the lock) and this P has nothing else to run.
     */
    public static boolean canSpin(int iter) {
        M mp = currentM();
        Sched sched = mp.sched;
        if (iter >= ACTIVE_SPIN || Runtime.getRuntime().availableProcessors() <= 1
                || sched.gomaxprocs <= sched.npidle.get() + sched.nmspinning.get() + 1) {
            return false;
        }
        return mp.p.runq.isEmpty();
    }

    /** Busy-waits a little (sync_runtime_doSpin: procyield(30)). */
    public static void doSpin() {
        for (int i = 0; i < ACTIVE_SPIN_CNT; i++) {
            Thread.onSpinWait();
        }
    }

    /**
     * A safepoint: yields if preemption or a stop-the-world was requested (Go's prologue check against a
     * poisoned stackguard0). Loops that should be preemptible call this; loops that don't starve their P
     * as in Go 1.13.
     */
    public static void checkpoint() {
        checkpoint(G.current());
    }

    /** {@link #checkpoint()} for a caller that holds its goroutine {@code gp} (null off a goroutine). */
    public static void checkpoint(G gp) {
        if (gp != null && gp.preempt) {
            preempted(gp.m);
        }
    }

    private static void preempted(M mp) {
        if (mp.sched.exiting) {
            mcall(mp, SwitchAction.ABANDON);
        }
        // gopreempt_m (same as Gosched), or preemptPark when a stack scan asked the goroutine to stop for it.
        mcall(mp, mp.curg.preemptStop ? SwitchAction.PREEMPT_PARK : SwitchAction.GOSCHED);
    }

    /**
     * Hands control to the M with {@code action} pending (mcall). When this returns the goroutine has
     * been resumed, possibly on another M.
     */
    static void mcall(M mp, SwitchAction action) {
        mp.switchAction = action;
        Continuation.yield(G.SCOPE);
    }

    /** A random number in {@code [0, n)} from the current M's generator (Go's cheaprandn). */
    public static int cheaprandn(int n) {
        return (int) (((long) currentM().fastrand() * n) >>> 31);
    }

    /** The id of the calling goroutine's P (the part of Go's procPin that sync.Pool needs). */
    public static int procId() {
        return currentM().p.id;
    }

    /** The allocation cache of the calling goroutine's P (Go's getg().m.p.mcache). */
    public static MCache mcache() {
        return currentM().p.mcache;
    }

    /**
     * The heap of the run whose M executes the calling code: one thread-register read, where {@link #mcache}
     * finds the goroutine first. On a goroutine {@code Thread.currentThread()} may name an M the goroutine ran on
     * before a park (see {@link M#current}), but every M of a run shares its heap, so a stale M answers the same.
     */
    public static MHeap heap() {
        if (Thread.currentThread() instanceof M mp) {
            return mp.sched.heap;
        }
        return currentM().sched.heap; // throws the explanation
    }

    /** The stack cache of the calling goroutine's P (Go's getg().m.p.mcache.stackcache). */
    public static StackCache stackcache() {
        return currentM().p.stackcache;
    }

    /** The P of the calling goroutine (getg().m.p). */
    public static P currentP() {
        return currentM().p;
    }

    /** The P running the calling goroutine, or null when the caller is not a goroutine. */
    public static P currentPOrNull() {
        G gp = G.current();
        return gp == null ? null : gp.m.p;
    }

    /** Whether the calling goroutine has been asked to yield (a preemption or stop-the-world is pending). */
    public static boolean preemptRequested() {
        G gp = G.current();
        return gp != null && gp.preempt;
    }

    /** The scheduler of the calling goroutine. */
    public static Sched sched() {
        return currentM().sched;
    }
}

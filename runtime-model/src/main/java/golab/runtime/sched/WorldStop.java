package golab.runtime.sched;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stop-the-world and GOMAXPROCS changes: Go's {@code stopTheWorldWithSema}, {@code startTheWorldWithSema}
 * and {@code procresize} (proc.go).
 *
 * <p>Stopping sets {@link Sched#gcwaiting}, asks every running goroutine to yield at its next safepoint,
 * and takes every idle or in-syscall P directly; each M that reaches the scheduler then parks its P in
 * {@link PStatus#GCSTOP} ({@link M#gcstopm}) and the last one wakes the initiator. The initiator re-asks
 * every 100 µs, so a goroutine that polls late only delays the stop, which is why time-to-safepoint is part
 * of every measured pause. A goroutine that never polls stops the world forever, as in Go 1.13.
 */
public final class WorldStop {

    private static final long STOP_RETRY_NANOS = 100_000;

    private WorldStop() {
    }

    /**
     * Changes GOMAXPROCS with the world stopped and returns the previous value; {@code n ≤ 0} only reads it
     * (runtime.GOMAXPROCS).
     */
    public static int gomaxprocs(int n) {
        Sched sched = Park.sched();
        int previous = sched.gomaxprocs;
        if (n <= 0 || n == previous) {
            return previous;
        }
        acquireGcsema(); // Go's stopTheWorldGC: the Ps do not change while a cycle marks
        stopTheWorld(sched);
        sched.newprocs = n;
        startTheWorld(sched);
        releaseGcsema();
        return previous;
    }

    /**
     * Takes the world ({@link #acquireWorld}) and stops every P but the caller's (Go's stopTheWorld); returns how
     * long stopping took, in ns, from the request (after taking the world) to the last P stopped: Go 1.22's
     * {@code stopping} part of a pause. Runs on a goroutine.
     */
    public static long stopTheWorld(Sched sched) {
        acquireWorld();
        return stopTheWorldWithSema(sched);
    }

    /**
     * {@link #stopTheWorld} for a caller that already holds the world ({@link #acquireWorld}): Go's
     * stopTheWorldWithSema, as gcMarkDone calls it after its ragged barrier.
     */
    public static long stopTheWorldWithSema(Sched sched) {
        requireWorld(sched, "stopTheWorldWithSema");
        long requested = System.nanoTime();
        M mp = Park.currentM();
        boolean wait;
        sched.lock.lock();
        try {
            sched.stopwait = sched.gomaxprocs;
            sched.gcwaiting = true;
            preemptall(sched);
            mp.p.status = PStatus.GCSTOP;
            sched.stopwait--;
            for (P pp : sched.allp) {
                if (pp.status == PStatus.SYSCALL && pp.casStatus(PStatus.SYSCALL, PStatus.GCSTOP)) {
                    pp.syscalltick++;
                    sched.stopwait--;
                }
            }
            P pp;
            while ((pp = sched.pidleget()) != null) {
                pp.status = PStatus.GCSTOP;
                sched.stopwait--;
            }
            wait = sched.stopwait > 0;
        } finally {
            sched.lock.unlock();
        }
        if (wait) {
            while (!sched.stopnote.sleep(STOP_RETRY_NANOS)) {
                if (sched.exiting) {
                    return System.nanoTime() - requested;
                }
                preemptall(sched);
            }
            sched.stopnote.clear();
        }
        long stopped = System.nanoTime();
        for (P pp : sched.allp) {
            if (pp.status != PStatus.GCSTOP) {
                throw new IllegalStateException("stopTheWorld: not stopped (P" + pp.id + " is " + pp.status + ")");
            }
        }
        return stopped - requested;
    }

    /**
     * Restarts the world, applying a pending GOMAXPROCS, and gives the world back (startTheWorldWithSema, then
     * semrelease(&worldsema)). Runs on the goroutine that holds the world. Returns
     * the time (nanoTime) once every P with work has its M woken or started, before the clean-up that follows:
     * where Go's startTheWorldWithSema takes the time that ends a pause it measures.
     */
    public static long startTheWorld(Sched sched) {
        M mp = Park.currentM();
        List<P> runnable;
        sched.lock.lock();
        try {
            int procs = sched.gomaxprocs;
            if (sched.newprocs != 0) {
                procs = sched.newprocs;
                sched.newprocs = 0;
            }
            runnable = procresize(sched, mp, procs);
            sched.gcwaiting = false;
            if (sched.sysmonwait) {
                sched.sysmonwait = false;
                sched.sysmonnote.wakeup();
            }
        } finally {
            sched.lock.unlock();
        }
        for (P pp : runnable) {
            M owner = pp.m;
            if (owner != null) {
                pp.m = null;
                if (owner.nextp != null) {
                    throw new IllegalStateException("startTheWorld: inconsistent M" + owner.id + " nextp");
                }
                owner.nextp = pp;
                owner.park.wakeup();
            } else {
                sched.newm(pp, false, sched.mReserveId());
            }
        }
        long started = System.nanoTime();
        releaseWorld();
        sched.wakep();
        return started;
    }

    /**
     * Sets the number of Ps to {@code nprocs} with the world stopped and {@link Sched#lock} held; returns
     * the Ps that have work, each reserved for an idle M (in {@code P.m}) or for a new one (procresize).
     * {@code mp} is the calling M, or null at start-up.
     */
    static List<P> procresize(Sched sched, M mp, int nprocs) {
        P[] old = sched.allp;
        int oldprocs = old.length;
        // As in Go, allp and the masks are replaced only when the count changes (every stop-the-world restarts
        // through here): with the world stopped no P is on the idle list, so the idle mask is clear, and the timer
        // mask keeps its bits.
        boolean resized = nprocs != oldprocs;
        P[] allp = resized ? Arrays.copyOf(old, nprocs) : old;
        for (int i = oldprocs; i < nprocs; i++) {
            allp[i] = new P(i, sched, sched.runq);
        }
        P current = mp == null ? null : mp.p;
        // Destroy the Ps beyond the new count: their Gs go to the head of the global queue in order,
        // their timers to the Ps that stay.
        for (int i = nprocs; i < oldprocs; i++) {
            P dying = old[i];
            G[] gs = dying.runq.drain();
            for (int k = gs.length - 1; k >= 0; k--) {
                sched.runq.putHead(gs[k]);
            }
            P heir = current != null && current.id < nprocs ? current : allp[0];
            dying.timers.moveTo(heir.timers);
            sched.gfpurge(dying);
            GcScheduling gcs = sched.gcScheduling;
            if (gcs != null) {
                gcs.destroyP(dying);
            }
            dying.mcache.releaseAll();
            sched.stacks.clear(dying.stackcache);
            dying.status = PStatus.DEAD;
        }
        if (resized) {
            PMask timerp = new PMask(nprocs);
            for (int i = 0; i < nprocs; i++) {
                if (i >= oldprocs || sched.timerpMask.read(i)) {
                    timerp.set(i);
                }
            }
            sched.allp = allp;
            sched.idlepMask = new PMask(nprocs);
            sched.timerpMask = timerp;
            sched.stealOrder.reset(nprocs);
        }
        if (mp != null) {
            if (current.id < nprocs) {
                current.status = PStatus.RUNNING;
            } else {
                mp.p = null;
                current.m = null;
                P p0 = allp[0];
                p0.m = null;
                p0.status = PStatus.IDLE;
                mp.acquirep(p0);
                current = p0;
            }
        }
        List<P> runnable = new ArrayList<>();
        // The idle list is empty here (the world is stopped, or this is start-up): every P but the
        // caller's becomes idle or is handed out with its work.
        for (int i = nprocs - 1; i >= 0; i--) {
            P pp = allp[i];
            if (pp == current) {
                continue;
            }
            pp.status = PStatus.IDLE;
            pp.m = null;
            if (pp.runq.isEmpty()) {
                sched.pidleput(pp);
            } else {
                pp.m = sched.mget();
                runnable.add(pp);
            }
        }
        sched.gomaxprocs = nprocs;
        return runnable;
    }

    /**
     * Runs {@code fn} once for every P, each at a point where the P runs no goroutine, without stopping the
     * world: Go's forEachP, the ragged barrier of mark termination. The caller's P runs it at once; an idle
     * P or one in a syscall runs it on the caller (taking the syscall P away, as retake does); a running P
     * is asked to preempt its goroutine and runs it on its M at the next scheduling point. Returns when
     * every P has run it. Runs on a goroutine; {@code fn} must not block or take the scheduler lock.
     *
     * <p>The caller must hold the world ({@link #acquireWorld}), as Go's caller holds worldsema: no stop-the-world
     * comes between this barrier and what the caller does next with the world (mark termination's stop).
     */
    public static void forEachP(Consumer<P> fn) {
        Sched sched = Park.sched();
        requireWorld(sched, "forEachP");
        M mp = Park.currentM();
        List<P> tookFromSyscall = new ArrayList<>();
        boolean wait;
        sched.lock.lock();
        try {
            sched.safePointFn = fn;
            sched.safePointWait = sched.gomaxprocs - 1;
            for (P pp : sched.allp) {
                if (pp != mp.p) {
                    pp.runSafePointFn = true;
                }
            }
            preemptall(sched);
            for (P pp = sched.pidleHead(); pp != null; pp = pp.link) {
                runSafePointFnLocked(sched, pp);
            }
            for (P pp : sched.allp) {
                if (pp.status == PStatus.SYSCALL && pp.casStatus(PStatus.SYSCALL, PStatus.IDLE)) {
                    pp.syscalltick++;
                    tookFromSyscall.add(pp);
                }
            }
        } finally {
            sched.lock.unlock();
        }
        fn.accept(mp.p);
        for (P pp : tookFromSyscall) {
            sched.handoffp(pp); // runs fn for pp under the scheduler lock, then finds it an M or parks it
        }
        sched.lock.lock();
        try {
            wait = sched.safePointWait > 0;
        } finally {
            sched.lock.unlock();
        }
        if (wait) {
            while (!sched.safePointNote.sleep(STOP_RETRY_NANOS)) {
                if (sched.exiting) {
                    break;
                }
                preemptall(sched);
            }
        }
        sched.lock.lock();
        try {
            sched.safePointNote.clear(); // the last P may have signalled it before we looked
            sched.safePointFn = null;
        } finally {
            sched.lock.unlock();
        }
    }

    /** A P's M reached a scheduling point with forEachP's function pending: run it (runSafePointFn). */
    static void runSafePointFn(M mp) {
        Sched sched = mp.sched;
        sched.lock.lock();
        try {
            runSafePointFnLocked(sched, mp.p);
        } finally {
            sched.lock.unlock();
        }
    }

    /** Runs the pending safe-point function for {@code pp} if it has not run yet. Caller holds the lock. */
    static void runSafePointFnLocked(Sched sched, P pp) {
        if (!pp.runSafePointFn || sched.safePointFn == null) {
            return;
        }
        pp.runSafePointFn = false;
        sched.safePointFn.accept(pp);
        if (--sched.safePointWait == 0) {
            sched.safePointNote.wakeup();
        }
    }

    static void preemptall(Sched sched) {
        for (P pp : sched.allp) {
            if (pp.status == PStatus.RUNNING) {
                preemptone(pp);
            }
        }
    }

    /** Asks the goroutine running on {@code pp} to yield at its next safepoint (preemptone). */
    static boolean preemptone(P pp) {
        M mp = pp.m;
        if (mp == null) {
            return false;
        }
        G gp = mp.curg;
        if (gp == null) {
            return false;
        }
        gp.preempt = true;
        return true;
    }

    /**
     * Takes the world for the calling goroutine (Go's {@code semacquire(&worldsema)}), parking while another holds
     * it: only one stop-the-world or {@link #forEachP} at a time. {@link #startTheWorld} or {@link #releaseWorld}
     * gives it back. Runs on a goroutine; it may resume on another M and P.
     */
    public static void acquireWorld() {
        Sched sched = Park.sched();
        sched.worldsema.acquire(false, WaitReason.SEMACQUIRE);
        sched.worldOwner = Park.getg();
    }

    /**
     * Gives the world back (Go's {@code semrelease(&worldsema)}), readying the first goroutine waiting for it;
     * {@link #startTheWorld} does so after restarting it.
     */
    public static void releaseWorld() {
        Sched sched = Park.sched();
        requireWorld(sched, "releaseWorld");
        sched.worldOwner = null;
        sched.worldsema.release(false);
    }

    /**
     * Takes Go's gcsema, parking while another holds it: a collection holds it from just before its first
     * stop-the-world to the end of mark termination (taken by the goroutine that starts the cycle, given back by
     * the one that ends it), and a GOMAXPROCS change while it stops the world, so the Ps never change while a cycle
     * marks. Runs on a goroutine.
     */
    public static void acquireGcsema() {
        Park.sched().gcsema.acquire(false, WaitReason.SEMACQUIRE);
    }

    /** Gives gcsema back, readying the first goroutine waiting for it. */
    public static void releaseGcsema() {
        Sema gcsema = Park.sched().gcsema;
        if (gcsema.value() != 0) {
            throw new IllegalStateException("releaseGcsema: gcsema is not held");
        }
        gcsema.release(false);
    }

    private static void requireWorld(Sched sched, String caller) {
        if (sched.worldOwner != Park.getg()) {
            throw new IllegalStateException(caller + ": the calling goroutine does not hold the world (acquireWorld)");
        }
    }
}

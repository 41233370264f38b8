package golab.runtime.sched;

/**
 * A machine: Go's {@code m}, here a platform thread that runs the scheduler loop and, inside it, goroutine
 * continuations.
 *
 * <p>{@link #run} is Go's {@code mstart}: acquire the P handed over at creation, then {@link #schedule}
 * forever. Running a goroutine mounts its continuation on this thread; when the goroutine yields, control
 * returns here and the M carries out {@link #switchAction} on its behalf ({@link #afterSwitch}), which is
 * what Go does on g0 after an {@code mcall}.
 *
 * <p>Invariants: {@link #p} is non-null exactly while this M holds a P; {@link #curg} is the goroutine
 * mounted on this thread, if any; a spinning M is counted in {@link Sched#nmspinning}.
 */
public final class M extends Thread {

    final Sched sched;
    final long id;
    /** The attached P, or null. */
    P p;
    /** The P handed to this M when it is woken or started. */
    P nextp;
    /** The P held before entering a syscall. */
    P oldp;
    /**
     * The goroutine running on this M, or null. Plain, as in Go: other threads (sysmon, traces, teardown)
     * read it racily and tolerate a stale value, so the switch path needs no fence.
     */
    G curg;
    /** Looking for work; counted in sched.nmspinning. */
    boolean spinning;
    /** Asleep on {@link #park} (Go's m.blocked). */
    volatile boolean blocked;
    /** Where this M sleeps while idle (stopm). */
    final Note park = new Note();
    /** Next on the idle-M list. */
    M schedlink;
    int syscalltick;

    /** Set by {@link RunQueue#get} and {@link #afterSwitch}: the next G shares the current time slice. */
    boolean inheritTime;
    /**
     * Set by findRunnable when it returns a dedicated or fractional mark worker: that worker takes the P ahead of
     * whatever waits in its queue, so {@link #schedule} wakes an idle P for it (Go's tryWakeP).
     */
    boolean tryWakeP;
    /** Set by {@link #afterSwitch}: the next G is already running (a syscall's fast exit), just resume it. */
    private boolean resumeRunning;

    /** The goroutine's request, set just before it yields. */
    SwitchAction switchAction;
    ParkCommit<Object> waitunlockf;
    Object waitlock;

    /** State of findRunnable that outlives one call of a helper (the multiple results of Go's functions). */
    long pollUntilScratch;
    boolean newWorkScratch;
    private int fastrand;

    M(Sched sched, long id, P nextp, boolean spinning) {
        super(null, null, "golab-M" + id, 64L << 20);
        this.sched = sched;
        this.id = id;
        this.nextp = nextp;
        this.spinning = spinning;
        this.fastrand = (int) (id * 0x9E3779B9L) | 1;
        setDaemon(true);
    }

    /**
     * The M running the calling code, on a goroutine or in the scheduler, or null. On a goroutine it is read
     * from the goroutine ({@link G#current}): {@code Thread.currentThread()} can be stale there.
     */
    static M current() {
        G gp = G.current();
        if (gp != null) {
            return gp.m;
        }
        return Thread.currentThread() instanceof M mp ? mp : null;
    }

    /** The platform thread executing the calling code, correct on a goroutine too. */
    static Thread carrier() {
        G gp = G.current();
        return gp != null ? gp.m : Thread.currentThread();
    }

    /** This M's id (M0 is the first). */
    public long mid() {
        return id;
    }

    @Override
    public void run() {
        try {
            if (nextp != null) {
                acquirep(nextp);
                nextp = null;
            }
            schedule();
        } catch (golab.runtime.GoRuntimeException e) {
            // Already recorded as the run's outcome.
        } catch (Throwable t) {
            sched.fatal("runtime: M" + id + " failed: " + t, Traceback.all(sched), t);
        }
    }

    /** One round of the scheduler per goroutine run, until the run exits (schedule). */
    void schedule() {
        while (!sched.exiting) {
            if (spinning && !p.runq.isEmpty()) {
                throw new IllegalStateException("schedule: spinning with local work");
            }
            G gp = FindRunnable.findRunnable(this);
            if (gp == null) {
                return;
            }
            if (spinning) {
                resetspinning();
            }
            if (tryWakeP) {
                tryWakeP = false;
                sched.wakep();
            }
            boolean inherit = inheritTime;
            while (gp != null && !sched.exiting) {
                if (resumeRunning) {
                    resumeRunning = false;
                    gp.cont.run(); // back from a syscall on the fast path: same time slice, still running
                } else {
                    execute(gp, inherit);
                }
                gp = afterSwitch(gp);
                inherit = inheritTime;
            }
        }
    }

    /** Runs {@code gp} on this M until it yields (execute). */
    private void execute(G gp, boolean inheritTime) {
        curg = gp;
        gp.m = this;
        gp.casgstatus(GStatus.RUNNABLE, GStatus.RUNNING);
        gp.waitSince = 0;
        gp.clearPreempt();
        if (!inheritTime) {
            p.schedtick++;
        }
        gp.cont.run();
    }

    /**
     * Does what the goroutine asked for when it yielded; returns a goroutine to run at once on this M
     * (an aborted park, or a syscall exit that found a P), else null to schedule.
     */
    private G afterSwitch(G gp) {
        if (gp.cont.isDone()) {
            goexit0(gp);
            return null;
        }
        SwitchAction action = switchAction;
        switchAction = null;
        return switch (action) {
            case PARK -> parkM(gp);
            case GOSCHED -> {
                goschedImpl(gp);
                yield null;
            }
            case PREEMPT_PARK -> {
                preemptPark(gp);
                yield null;
            }
            case GOYIELD -> {
                gp.casgstatus(GStatus.RUNNING, GStatus.RUNNABLE);
                dropg();
                p.runq.put(gp, false);
                yield null;
            }
            case SYSCALL -> {
                if (Syscalls.run(this, gp)) {
                    resumeRunning = true;
                    yield gp;
                }
                yield exitsyscall0(gp);
            }
            case ABANDON -> {
                curg = null;
                yield null;
            }
        };
    }

    /** park_m: the goroutine is off the stack, so mark it waiting, then let the unlock callback run. */
    private G parkM(G gp) {
        gp.casgstatus(GStatus.RUNNING, GStatus.WAITING);
        gp.waitSince = sched.coarseNanos;
        dropg();
        ParkCommit<Object> unlockf = waitunlockf;
        Object lock = waitlock;
        waitunlockf = null;
        waitlock = null;
        if (unlockf != null && !unlockf.commit(gp, lock)) {
            gp.casgstatus(GStatus.WAITING, GStatus.RUNNABLE);
            inheritTime = true;
            return gp;
        }
        return null;
    }

    /** preemptPark: the goroutine stops in PREEMPTED, on no queue, until the stack scan that asked claims it. */
    private void preemptPark(G gp) {
        gp.waitReason = WaitReason.PREEMPTED;
        gp.casToPreemptedHeld();
        dropg();
        gp.releaseScan();
    }

    /** goschedImpl: the goroutine goes to the tail of the global queue and another P may be woken. */
    private void goschedImpl(G gp) {
        gp.casgstatus(GStatus.RUNNING, GStatus.RUNNABLE);
        dropg();
        sched.lock.lock();
        try {
            sched.runq.put(gp);
        } finally {
            sched.lock.unlock();
        }
        if (sched.mainStarted) {
            sched.wakep();
        }
    }

    /** goexit0: the goroutine returned (or threw); report a panic, end the run if it was main, recycle the G. */
    private void goexit0(G gp) {
        gp.casgstatus(GStatus.RUNNING, GStatus.DEAD);
        if (gp.panic != null) {
            sched.panic(gp, gp.panic);
        } else if (gp == sched.mainG) {
            sched.exit();
        }
        dropg();
        gp.destroy();
        sched.gfput(p, gp);
    }

    /** exitsyscall0: the call returned but the fast path found no P; run on an idle P or queue globally. */
    private G exitsyscall0(G gp) {
        gp.casgstatus(GStatus.SYSCALL, GStatus.RUNNABLE);
        dropg();
        P pp;
        sched.lock.lock();
        try {
            pp = sched.pidleget();
            if (pp == null) {
                sched.runq.put(gp);
            } else if (sched.sysmonwait) {
                sched.sysmonwait = false;
                sched.sysmonnote.wakeup();
            }
        } finally {
            sched.lock.unlock();
        }
        if (pp != null) {
            acquirep(pp);
            inheritTime = false;
            return gp;
        }
        stopm();
        return null;
    }

    private void dropg() {
        G gp = curg;
        if (gp != null) {
            gp.m = null;
        }
        curg = null;
    }

    /** Attaches {@code pp}, which must be idle and unowned (acquirep / wirep). */
    void acquirep(P pp) {
        if (p != null) {
            throw new IllegalStateException("wirep: M" + id + " already has P" + p.id);
        }
        if (pp.m != null || pp.status != PStatus.IDLE) {
            throw new IllegalStateException("wirep: invalid P" + pp.id + " state: status=" + pp.status
                    + " m=" + (pp.m == null ? "nil" : "M" + pp.m.id));
        }
        p = pp;
        pp.m = this;
        pp.status = PStatus.RUNNING;
    }

    /** Detaches the current P and marks it idle (releasep). */
    P releasep() {
        P pp = p;
        if (pp.m != this || pp.status != PStatus.RUNNING) {
            throw new IllegalStateException("releasep: invalid P" + pp.id + " state: status=" + pp.status);
        }
        p = null;
        pp.m = null;
        pp.status = PStatus.IDLE;
        return pp;
    }

    /**
     * Parks this M on the idle list until some startm hands it a P (stopm). Returns false if it was woken
     * because the run is over.
     */
    boolean stopm() {
        sched.lock.lock();
        try {
            if (sched.exiting) {
                return false; // teardown has already woken the idle Ms; do not join them
            }
            sched.mput(this);
        } finally {
            sched.lock.unlock();
        }
        blocked = true;
        park.sleep();
        blocked = false;
        park.clear();
        if (sched.exiting) {
            return false;
        }
        acquirep(nextp);
        nextp = null;
        return true;
    }

    /** Stops this M for a pending stop-the-world: its P goes to _Pgcstop (gcstopm). */
    boolean gcstopm() {
        if (spinning) {
            spinning = false;
            if (sched.nmspinning.decrementAndGet() < 0) {
                throw new IllegalStateException("gcstopm: negative nmspinning");
            }
        }
        P pp = releasep();
        sched.lock.lock();
        try {
            pp.status = PStatus.GCSTOP;
            if (--sched.stopwait == 0) {
                sched.stopnote.wakeup();
            }
        } finally {
            sched.lock.unlock();
        }
        return stopm();
    }

    /** Marks this M spinning (becomeSpinning). */
    void becomeSpinning() {
        spinning = true;
        sched.nmspinning.incrementAndGet();
        sched.needspinning.set(0);
    }

    /** Found work while spinning: stop spinning and, per the wake-up policy, maybe start another spinner. */
    private void resetspinning() {
        spinning = false;
        if (sched.nmspinning.decrementAndGet() < 0) {
            throw new IllegalStateException("resetspinning: negative nmspinning");
        }
        sched.wakep();
    }

    /** A per-M xorshift random (Go's cheaprand). */
    int fastrand() {
        int x = fastrand;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        fastrand = x;
        return x & Integer.MAX_VALUE;
    }

    /** The goroutine running on this M, or null. */
    public G curg() {
        return curg;
    }

    @Override
    public String toString() {
        return "M" + id;
    }
}

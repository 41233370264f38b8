package golab.runtime.sched;

/**
 * Blocking system calls: Go's {@code entersyscall}, {@code exitsyscall}, {@code exitsyscallfast} (proc.go).
 *
 * <p>Entering detaches the P from the M and leaves it in {@link PStatus#SYSCALL}: the M blocks in the call
 * with no P, and sysmon may {@linkplain Sysmon retake} the P and hand it to another M so other goroutines
 * keep running. On return the M first tries to get its old P back by CAS, then any idle P (fast path: the
 * goroutine resumes at once, in the same time slice); failing both it queues the goroutine globally and
 * parks ({@code exitsyscall0}).
 *
 * <p>Unlike Go, the goroutine yields first and its M makes the call on the M's own stack. Blocking JDK code
 * keys on {@code Thread.currentThread()} (lock owners, condition waiters), which C2 may fold to a stale M
 * inside a goroutine that has migrated; on the M's stack it is always right. As a bonus the goroutine's
 * stack is readable in dumps while it is {@code [syscall]}.
 */
public final class Syscalls {

    private Syscalls() {
    }

    /** Runs {@code call} as a blocking system call of the calling goroutine and returns its result. */
    @SuppressWarnings("unchecked")
    public static <T, X extends Exception> T syscall(BlockingCall<T, X> call) throws X {
        Park.checkpoint();
        M mp = Park.currentM();
        G gp = mp.curg;
        gp.syscall = call;
        Park.mcall(mp, SwitchAction.SYSCALL);
        Throwable error = gp.syscallError;
        Object result = gp.syscallResult;
        gp.syscallError = null;
        gp.syscallResult = null;
        Park.checkpoint();
        if (error != null) {
            throw Syscalls.<RuntimeException>sneaky(error);
        }
        return (T) result;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /**
     * On the M, with {@code gp} yielded: enter the syscall, make the call, and exit on the fast path if
     * possible. Returns true if {@code gp} is running again on this M with a P, false if the slow path
     * ({@link M}'s exitsyscall0) must place it.
     */
    static boolean run(M mp, G gp) {
        BlockingCall<?, ?> call = gp.syscall;
        gp.syscall = null;
        entersyscall(mp, gp);
        try {
            gp.syscallResult = call.call();
        } catch (Throwable t) {
            gp.syscallError = t;
        }
        P oldp = mp.oldp;
        mp.oldp = null;
        if (!mp.sched.exiting && exitsyscallfast(mp, oldp)) {
            mp.p.syscalltick++;
            gp.casgstatus(GStatus.SYSCALL, GStatus.RUNNING);
            return true;
        }
        return false;
    }

    private static void entersyscall(M mp, G gp) {
        Sched sched = mp.sched;
        gp.casgstatus(GStatus.RUNNING, GStatus.SYSCALL);
        if (sched.sysmonwait) {
            wakeSysmon(sched); // so it can retake the P if the call blocks
        }
        P pp = mp.p;
        mp.syscalltick = pp.syscalltick;
        pp.m = null;
        mp.oldp = pp;
        mp.p = null;
        pp.status = PStatus.SYSCALL;
        if (sched.gcwaiting) {
            sched.lock.lock();
            try {
                if (sched.stopwait > 0 && pp.casStatus(PStatus.SYSCALL, PStatus.GCSTOP)) {
                    pp.syscalltick++;
                    if (--sched.stopwait == 0) {
                        sched.stopnote.wakeup();
                    }
                }
            } finally {
                sched.lock.unlock();
            }
        }
    }

    private static boolean exitsyscallfast(M mp, P oldp) {
        Sched sched = mp.sched;
        if (oldp != null && oldp.status == PStatus.SYSCALL && oldp.casStatus(PStatus.SYSCALL, PStatus.IDLE)) {
            mp.acquirep(oldp);
            if (mp.syscalltick != oldp.syscalltick) {
                oldp.syscalltick++; // retaken and given back meanwhile
            }
            return true;
        }
        if (sched.hasIdleP()) {
            P pp;
            sched.lock.lock();
            try {
                pp = sched.pidleget();
                if (pp != null && sched.sysmonwait) {
                    sched.sysmonwait = false;
                    sched.sysmonnote.wakeup();
                }
            } finally {
                sched.lock.unlock();
            }
            if (pp != null) {
                mp.acquirep(pp);
                return true;
            }
        }
        return false;
    }

    private static void wakeSysmon(Sched sched) {
        sched.lock.lock();
        try {
            if (sched.sysmonwait) {
                sched.sysmonwait = false;
                sched.sysmonnote.wakeup();
            }
        } finally {
            sched.lock.unlock();
        }
    }
}

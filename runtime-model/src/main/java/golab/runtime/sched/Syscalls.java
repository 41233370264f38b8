package golab.runtime.sched;

/**
 * Blocking system calls: Go's {@code entersyscall}, {@code exitsyscall}, {@code exitsyscallfast} (proc.go).
 *
 * <p>Entering detaches the P from the M and leaves it in {@link PStatus#SYSCALL}: the M blocks in the call
 * with no P, and sysmon may {@linkplain Sysmon retake} the P and hand it to another M so other goroutines
 * keep running. On return the goroutine first tries to get its old P back by CAS, then any idle P (fast
 * path, no switch); failing both it yields and its M queues it globally and parks ({@code exitsyscall0}).
 */
public final class Syscalls {

    private Syscalls() {
    }

    /** Runs {@code call} as a blocking system call of the calling goroutine. */
    public static <T, X extends Exception> T syscall(BlockingCall<T, X> call) throws X {
        Park.checkpoint();
        M mp = Park.currentM();
        G gp = mp.curg;
        entersyscall(mp, gp);
        try {
            return call.call();
        } finally {
            exitsyscall(gp);
        }
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

    private static void exitsyscall(G gp) {
        M mp = gp.m;
        Sched sched = mp.sched;
        P oldp = mp.oldp;
        mp.oldp = null;
        if (exitsyscallfast(mp, oldp)) {
            mp.p.syscalltick++;
            gp.casgstatus(GStatus.SYSCALL, GStatus.RUNNING);
        } else {
            Park.mcall(mp, SwitchAction.EXITSYSCALL);
            // Rescheduled through exitsyscall0 and execute: running again, on some M with a P.
            Park.currentM().p.syscalltick++;
        }
        if (sched.exiting) {
            Park.mcall(Park.currentM(), SwitchAction.ABANDON);
        }
        Park.checkpoint();
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

package golab.runtime.sched;

import java.util.ArrayList;
import java.util.List;

/**
 * Ends a run: Go's process exit, which abandons every other goroutine. Ms are woken wherever they wait and
 * leave their loops; goroutines still running are asked to stop at their next safepoint; blocking calls are
 * interrupted. Every thread is then joined, so none outlives {@code GoRuntime.run} unless a goroutine spins
 * without safepoints or ignores interruption.
 */
final class Teardown {

    private static final long JOIN_NANOS = 2_000_000_000L;

    private Teardown() {
    }

    /** Stops the run's threads; returns whether every one of them has ended. */
    static boolean run(Sched sched) {
        sched.exiting = true;
        List<Thread> threads;
        sched.lock.lock();
        try {
            // Taken off the idle list and sysmonwait cleared, as every waker does under the lock: a stop-the-world
            // ending meanwhile (a mark worker's) must not find them and wake them a second time.
            for (M mp; (mp = sched.mget()) != null; ) {
                mp.park.wakeup();
            }
            if (sched.sysmonwait) {
                sched.sysmonwait = false;
                sched.sysmonnote.wakeup();
            }
            threads = new ArrayList<>(sched.allm);
        } finally {
            sched.lock.unlock();
        }
        sched.netpoll.wakeUp();
        for (G gp : sched.allgs()) {
            GStatus s = gp.status();
            if (s == GStatus.RUNNING || s == GStatus.WAITING && gp.waitReason().isMarking()) {
                gp.preempt = true;
            }
        }
        for (Thread t : threads) {
            M mp = (M) t;
            G gp = mp.curg;
            if (gp != null && gp.status() == GStatus.SYSCALL) {
                mp.interrupt();
            }
        }
        if (sched.sysmon != null) {
            sched.sysmon.wakeForExit();
            threads.add(sched.sysmon);
        }
        long deadline = System.nanoTime() + JOIN_NANOS;
        boolean allEnded = true;
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    t.join(left / 1_000_000 + 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            allEnded &= !t.isAlive();
        }
        return allEnded;
    }
}

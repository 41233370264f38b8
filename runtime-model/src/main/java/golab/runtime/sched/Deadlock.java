package golab.runtime.sched;

/**
 * Deadlock detection: Go's {@code checkdead} (proc.go). Called with the scheduler lock held whenever an M
 * goes idle (and when sysmon starts): if no M is running, no goroutine can ever be readied again unless a
 * timer is pending, so the run fails with Go's message and a dump of every goroutine.
 */
final class Deadlock {

    private Deadlock() {
    }

    static void checkdead(Sched sched) {
        assert sched.lock.isLocked();
        if (sched.exiting) {
            return;
        }
        long run = sched.mnext - sched.nmfreed - sched.nmidle - sched.nmidlelocked - sched.nmsys;
        if (run > 0) {
            return;
        }
        if (run < 0) {
            sched.fatal("checkdead: inconsistent counts mcount=" + (sched.mnext - sched.nmfreed) + " nmidle="
                    + sched.nmidle + " nmidlelocked=" + sched.nmidlelocked + " nmsys=" + sched.nmsys, Traceback.all(sched));
            return;
        }
        int waiting = 0;
        for (G gp : sched.allgs()) {
            if (gp.system) {
                continue;
            }
            switch (gp.status()) {
                case WAITING, PREEMPTED -> waiting++;
                case RUNNABLE, RUNNING, SYSCALL -> {
                    sched.fatal("checkdead: runnable g (goroutine " + gp.goid + " is " + gp.status() + ")",
                            Traceback.all(sched));
                    return;
                }
                case IDLE, DEAD -> {
                }
            }
        }
        if (waiting == 0) {
            sched.fatal("no goroutines (main called runtime.Goexit) - deadlock!", Traceback.all(sched));
            return;
        }
        for (P pp : sched.allp) {
            if (pp.timers.size() > 0) {
                return; // a timer will ready someone
            }
        }
        sched.fatal("all goroutines are asleep - deadlock!", Traceback.all(sched));
    }
}

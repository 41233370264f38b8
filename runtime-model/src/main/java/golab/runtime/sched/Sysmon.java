package golab.runtime.sched;

import golab.runtime.metrics.SchedTrace;
import java.util.concurrent.locks.LockSupport;

/**
 * The system monitor: Go's {@code sysmon}, {@code retake} and {@code preemptone} (proc.go). A dedicated
 * thread with no P, not counted for deadlock detection.
 *
 * <p>It sleeps 20 µs between rounds, doubling the sleep after 50 idle rounds (about 1 ms) up to 10 ms;
 * when every P is idle or the world is stopped it sleeps until the next timer, and entering a syscall or
 * restarting the world wakes it. Each round it
 * <ul>
 * <li>asks a goroutine that has run for 10 ms on one time slice to yield at its next safepoint;</li>
 * <li>retakes the P of an M that sysmon has seen blocked in the same syscall for a whole round, when there
 *     is other work or no spinning/idle M, or after 10 ms regardless, and hands it off;</li>
 * <li>prints the {@code schedtrace} line every {@code schedtrace} ms.</li>
 * </ul>
 */
final class Sysmon extends Thread {

    static final long FORCE_PREEMPT_NANOS = 10_000_000;
    private static final long MIN_DELAY_MICROS = 20;
    private static final long MAX_DELAY_MICROS = 10_000;
    private static final long FORCE_GC_PERIOD_NANOS = 120_000_000_000L;

    private final Sched sched;
    final long id;
    private long lastTrace;
    private long firstTrace;

    Sysmon(Sched sched, long id) {
        super(null, null, "golab-sysmon", 1L << 20);
        this.sched = sched;
        this.id = id;
        setDaemon(true);
    }

    @Override
    public void run() {
        sched.lock.lock();
        try {
            sched.nmsys++;
            Deadlock.checkdead(sched);
        } catch (golab.runtime.GoRuntimeException e) {
            return;
        } finally {
            sched.lock.unlock();
        }
        int idle = 0;
        long delay = MIN_DELAY_MICROS;
        int schedtrace = sched.config.godebug().schedtrace();
        while (!sched.exiting) {
            if (idle == 0) {
                delay = MIN_DELAY_MICROS;
            } else if (idle > 50) {
                delay *= 2;
            }
            delay = Math.min(delay, MAX_DELAY_MICROS);
            LockSupport.parkNanos(delay * 1000);
            if (sched.exiting) {
                return;
            }
            long now = System.nanoTime();
            sched.coarseNanos = now;
            if (schedtrace <= 0 && (sched.gcwaiting || sched.npidle.get() == sched.gomaxprocs)) {
                if (deepSleep(now)) {
                    idle = 0;
                    delay = MIN_DELAY_MICROS;
                }
            }
            now = System.nanoTime();
            if (retake(now) != 0) {
                idle = 0;
            } else {
                idle++;
            }
            if (schedtrace > 0 && lastTrace + schedtrace * 1_000_000L <= now) {
                if (firstTrace == 0) {
                    firstTrace = now;
                }
                lastTrace = now;
                sched.config.stderr().print(SchedTrace.format(sched.schedState(), (now - firstTrace) / 1_000_000,
                        sched.config.godebug().scheddetail()));
            }
        }
    }

    /** Sleeps while nothing runs, until the next timer or a wake-up; returns whether a syscall woke it. */
    private boolean deepSleep(long now) {
        boolean woken = false;
        sched.lock.lock();
        try {
            if (sched.gcwaiting || sched.npidle.get() == sched.gomaxprocs) {
                long next = sched.timeSleepUntil();
                if (next > now) {
                    sched.sysmonwait = true;
                    sched.lock.unlock();
                    try {
                        woken = sched.sysmonnote.sleep(Math.min(FORCE_GC_PERIOD_NANOS / 2, next - now));
                    } finally {
                        sched.lock.lock();
                    }
                    sched.sysmonwait = false;
                    sched.sysmonnote.clear();
                }
            }
        } finally {
            sched.lock.unlock();
        }
        return woken;
    }

    /** Preempts long-running goroutines and retakes Ps blocked in syscalls; returns how many Ps it retook. */
    private int retake(long now) {
        int n = 0;
        for (P pp : sched.allp) {
            P.SysmonTick pd = pp.sysmontick;
            PStatus s = pp.status;
            boolean sysretake = false;
            if (s == PStatus.RUNNING || s == PStatus.SYSCALL) {
                int t = pp.schedtick;
                if (pd.schedtick != t) {
                    pd.schedtick = t;
                    pd.schedwhen = now;
                } else if (pd.schedwhen + FORCE_PREEMPT_NANOS <= now) {
                    WorldStop.preemptone(pp);
                    sysretake = true; // preemptone cannot reach a goroutine in a syscall
                }
            }
            if (s == PStatus.SYSCALL) {
                int t = pp.syscalltick;
                if (!sysretake && pd.syscalltick != t) {
                    pd.syscalltick = t;
                    pd.syscallwhen = now;
                    continue;
                }
                if (pp.runq.isEmpty() && sched.nmspinning.get() + sched.npidle.get() > 0
                        && pd.syscallwhen + 10_000_000 > now) {
                    continue;
                }
                // Count one more running M before the CAS, or the M leaving the syscall could park and
                // see a deadlock that is not there.
                sched.incidlelocked(-1);
                if (pp.casStatus(PStatus.SYSCALL, PStatus.IDLE)) {
                    n++;
                    pp.syscalltick++;
                    sched.handoffp(pp);
                }
                sched.incidlelocked(1);
            }
        }
        return n;
    }

    /** Wakes sysmon from any sleep, for teardown. */
    void wakeForExit() {
        LockSupport.unpark(this);
        interrupt();
    }
}

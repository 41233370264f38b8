package golab.runtime.gc;

import golab.runtime.sched.G;
import golab.runtime.sched.Park;
import golab.runtime.sched.RuntimeLock;
import golab.runtime.sched.WaitReason;
import java.util.ArrayDeque;

/**
 * Mark assists: Go's gcAssistAlloc, gcParkAssist, gcFlushBgCredit and gcWakeAllAssists (mgcmark.go).
 *
 * <p>During a mark phase every allocation is charged to the allocating goroutine's
 * {@link G#gcAssistBytes}. A goroutine in debt pays in scan work at the pacer's
 * {@code assistWorkPerByte}: first by stealing the background workers' banked credit, then by marking
 * itself (at least {@link Pacer#GC_OVER_ASSIST_WORK} units, so it does not come back at once), and if
 * there is no work to do it parks on the assist queue until background workers' progress pays its debt
 * or the phase ends. The allocation does not proceed until the debt is paid. The marking counts as assist
 * time, for the pacer, the CPU limiter and /cpu/classes/gc/mark/assist; time parked is not CPU and is not
 * counted (it shows as scheduling delay instead).
 *
 * <p>Invariants: only a goroutine in debt is on the queue; the queue is empty when no mark phase runs
 * ({@link #wakeAll} at mark termination).
 */
final class Assists {

    private final Collector gc;
    private final RuntimeLock lock = new RuntimeLock();
    private final ArrayDeque<G> queue = new ArrayDeque<>();
    private volatile int queued;

    Assists(Collector gc) {
        this.gc = gc;
    }

    /** Go's deductAssistCredit: charges {@code size} bytes to the allocating {@code gp}; it assists if in debt. */
    void deductAssistCredit(G gp, long size) {
        if (gp.isSystem()) {
            return;
        }
        gp.gcAssistBytes -= size;
        if (gp.gcAssistBytes < 0) {
            assistAlloc(gp);
        }
    }

    /** Go's gcAssistAlloc. */
    private void assistAlloc(G gp) {
        Pacer pacer = gc.pacer;
        while (gc.blackenEnabled && gp.gcAssistBytes < 0) {
            if (gc.limiter.limiting()) {
                return; // the CPU limiter is on: allocate on credit, the heap may overshoot
            }
            double workPerByte = pacer.assistWorkPerByte();
            double bytesPerWork = pacer.assistBytesPerWork();
            long debtBytes = -gp.gcAssistBytes;
            long scanWork = (long) (workPerByte * debtBytes);
            if (scanWork < Pacer.GC_OVER_ASSIST_WORK) {
                scanWork = Pacer.GC_OVER_ASSIST_WORK;
                debtBytes = (long) (bytesPerWork * scanWork);
            }
            long stolen = pacer.stealBgScanCredit(scanWork);
            if (stolen > 0) {
                if (stolen < scanWork) {
                    gp.gcAssistBytes += 1 + (long) (bytesPerWork * stolen);
                    scanWork -= stolen;
                } else {
                    gp.gcAssistBytes += debtBytes;
                    return;
                }
            }
            long start = System.nanoTime();
            int pid = Park.currentP().id();
            gc.marker.active.incrementAndGet();
            Park.beginMarking(gp, WaitReason.GC_ASSIST_MARKING);
            long done = gc.marker.drainN(gp, pid, scanWork);
            Park.endMarking(gp);
            gp.gcAssistBytes += 1 + (long) (bytesPerWork * done);
            boolean complete = gc.marker.active.decrementAndGet() == 0 && !gc.marker.workAvailable(-1);
            gc.accountAssist(System.nanoTime() - start);
            if (complete) {
                gc.markDone();
            }
            if (gp.gcAssistBytes >= 0) {
                return;
            }
            if (gp.preemptRequested()) {
                Park.gosched();
                continue;
            }
            if (park(gp)) {
                return;
            }
        }
    }

    /**
     * Go's gcParkAssist: queues {@code gp} and parks it until background credit pays its debt or marking
     * ends; returns true then. Returns false at once, without parking, if credit appeared meanwhile (retry).
     */
    private boolean park(G gp) {
        lock.lock();
        if (!gc.blackenEnabled) {
            lock.unlock();
            return true;
        }
        if (gc.pacer.bgScanCredit() > 0) {
            lock.unlock();
            return false;
        }
        queue.add(gp);
        queued = queue.size();
        Park.gopark((g, l) -> {
            l.unlock();
            return true;
        }, lock, WaitReason.GC_ASSIST_WAIT);
        return true; // parked time is not CPU: Go counts only gcAssistAlloc1's marking as assist time
    }

    /**
     * Go's gcFlushBgCredit: a background worker did {@code scanWork} units. With no assist waiting they are
     * banked; otherwise they pay the queued debts in order, waking every goroutine whose debt is paid, and
     * bank what is left.
     */
    void flushBgCredit(long scanWork) {
        Pacer pacer = gc.pacer;
        if (queued == 0) {
            pacer.addBgScanCredit(scanWork);
            return;
        }
        lock.lock();
        try {
            long scanBytes = (long) (scanWork * pacer.assistBytesPerWork());
            for (int n = queue.size(); n > 0 && scanBytes > 0; n--) {
                G gp = queue.peek();
                if (scanBytes + gp.gcAssistBytes >= 0) {
                    scanBytes += gp.gcAssistBytes;
                    gp.gcAssistBytes = 0;
                    queue.poll();
                    Park.ready(gp, false);
                } else {
                    gp.gcAssistBytes += scanBytes;
                    scanBytes = 0;
                    queue.add(queue.poll()); // partly paid: to the back, so others get a turn
                }
            }
            queued = queue.size();
            if (scanBytes > 0) {
                pacer.addBgScanCredit((long) (scanBytes * pacer.assistWorkPerByte()));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Go's gcWakeAllAssists: marking is over, every parked assist resumes (with the world stopped). */
    void wakeAll() {
        lock.lock();
        try {
            G gp;
            while ((gp = queue.poll()) != null) {
                Park.ready(gp, false);
            }
            queued = 0;
        } finally {
            lock.unlock();
        }
    }
}

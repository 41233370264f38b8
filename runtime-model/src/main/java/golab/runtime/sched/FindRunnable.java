package golab.runtime.sched;

/**
 * Go's {@code findRunnable} and {@code stealWork}: where an M looks for its next goroutine, in Go's order.
 *
 * <ol>
 * <li>stop for a pending stop-the-world;</li>
 * <li>run this P's due timers;</li>
 * <li>a dedicated or fractional mark worker, if the collector wants one on this P ({@link GcScheduling}); the
 *     M then wakes an idle P for the work the worker displaces ({@link M#tryWakeP});</li>
 * <li>every 61st time slice, the global queue first, so it cannot starve behind local work;</li>
 * <li>the local queue (runnext, then the ring), then the global queue;</li>
 * <li>spin: steal from other Ps, four rounds in random order, stealing half a queue; the last round also
 *     runs other Ps' due timers and may take a runnext. At most half the busy Ps have a spinning M;</li>
 * <li>an idle-mode mark worker, if marking has work, rather than give the P up;</li>
 * <li>give up the P; if this M was spinning, re-check every queue, then marking work (taking a P back for
 *     an idle worker), after it stops counting as a spinner (the other half of the wake-up protocol, see
 *     {@link Sched});</li>
 * <li>sleep until the earliest timer of any P if no other M does ({@link Netpoll}), else park the M.</li>
 * </ol>
 */
final class FindRunnable {

    private static final int STEAL_TRIES = 4;

    private FindRunnable() {
    }

    /** Blocks until there is a goroutine to run and returns it; null only when the run is over. */
    static G findRunnable(M mp) {
        Sched sched = mp.sched;
        top:
        while (true) {
            if (sched.exiting) {
                return null;
            }
            if (sched.gcwaiting) {
                if (!mp.gcstopm()) {
                    return null;
                }
                continue;
            }
            P pp = mp.p;
            if (pp.runSafePointFn) {
                WorldStop.runSafePointFn(mp);
            }

            long now = 0;
            long pollUntil = pp.timers.earliest();
            if (pollUntil != 0) {
                now = System.nanoTime();
                pp.timers.run(now);
                pollUntil = pp.timers.earliest();
            }

            GcScheduling gcs = sched.gcScheduling;
            if (gcs != null) {
                G worker = gcs.findRunnableGCWorker(pp, now);
                if (worker != null) {
                    mp.inheritTime = false;
                    mp.tryWakeP = true;
                    return worker;
                }
            }

            if (pp.schedtick % 61 == 0 && sched.runq.size() > 0) {
                G gp = globrunqget(sched, pp, 1);
                if (gp != null) {
                    mp.inheritTime = false;
                    return gp;
                }
            }

            G gp = pp.runq.get(mp);
            if (gp != null) {
                return gp;
            }

            if (sched.runq.size() != 0) {
                gp = globrunqget(sched, pp, 0);
                if (gp != null) {
                    mp.inheritTime = false;
                    return gp;
                }
            }

            if (mp.spinning || 2 * sched.nmspinning.get() < sched.gomaxprocs - sched.npidle.get()) {
                if (!mp.spinning) {
                    mp.becomeSpinning();
                }
                gp = stealWork(mp, now);
                if (gp != null) {
                    return gp;
                }
                if (mp.newWorkScratch) {
                    continue;
                }
                long w = mp.pollUntilScratch;
                if (w != 0 && (pollUntil == 0 || w < pollUntil)) {
                    pollUntil = w;
                }
            }

            // Nothing to run: help the collector in idle mode rather than give the P up.
            if (gcs != null) {
                G worker = gcs.findIdleGCWorker(pp);
                if (worker != null) {
                    mp.inheritTime = false;
                    return worker;
                }
            }

            // Snapshot before dropping the P: after that, allp may change under a stop-the-world.
            P[] allpSnapshot = sched.allp;
            PMask idlepMaskSnapshot = sched.idlepMask.copy();
            PMask timerpMaskSnapshot = sched.timerpMask.copy();

            sched.lock.lock();
            try {
                if (sched.gcwaiting || pp.runSafePointFn) {
                    continue;
                }
                if (sched.runq.size() != 0) {
                    gp = sched.runq.get(pp, 0, sched.gomaxprocs);
                    mp.inheritTime = false;
                    return gp;
                }
                if (!mp.spinning && sched.needspinning.get() == 1) {
                    mp.becomeSpinning();
                    continue;
                }
                sched.pidleput(mp.releasep());
            } finally {
                sched.lock.unlock();
            }

            // Delicate dance: stop counting as a spinner, then look again, so work published by someone who
            // saw us spinning (and so woke nobody) is not stranded.
            boolean wasSpinning = mp.spinning;
            if (mp.spinning) {
                mp.spinning = false;
                if (sched.nmspinning.decrementAndGet() < 0) {
                    throw new IllegalStateException("findrunnable: negative nmspinning");
                }
                sched.lock.lock();
                try {
                    if (sched.runq.size() != 0) {
                        P idle = sched.pidlegetSpinning();
                        if (idle != null) {
                            gp = sched.runq.get(idle, 0, sched.gomaxprocs);
                            mp.acquirep(idle);
                            mp.becomeSpinning();
                            mp.inheritTime = false;
                            return gp;
                        }
                    }
                } finally {
                    sched.lock.unlock();
                }
                P idle = checkRunqsNoP(sched, allpSnapshot, idlepMaskSnapshot);
                if (idle != null) {
                    mp.acquirep(idle);
                    mp.becomeSpinning();
                    continue;
                }
                G worker = checkIdleGCNoP(mp, gcs);
                if (worker != null) {
                    return worker;
                }
                pollUntil = checkTimersNoP(allpSnapshot, timerpMaskSnapshot, pollUntil);
            }

            if (pollUntil != 0 && sched.lastpoll.getAndSet(0) != 0) {
                sched.pollUntil.set(pollUntil);
                long delay = Math.max(0, pollUntil - System.nanoTime());
                sched.netpoll.poll(delay);
                sched.pollUntil.set(0);
                sched.lastpoll.set(System.nanoTime());
                P idle;
                sched.lock.lock();
                try {
                    idle = sched.pidleget();
                } finally {
                    sched.lock.unlock();
                }
                if (idle != null) {
                    mp.acquirep(idle);
                    if (wasSpinning) {
                        mp.becomeSpinning();
                    }
                    continue top;
                }
            } else if (pollUntil != 0) {
                long until = sched.pollUntil.get();
                if (until == 0 || until > pollUntil) {
                    sched.netpoll.wakeUp();
                }
            }
            if (!mp.stopm()) {
                return null;
            }
        }
    }

    private static G globrunqget(Sched sched, P pp, int max) {
        sched.lock.lock();
        try {
            return sched.runq.get(pp, max, sched.gomaxprocs);
        } finally {
            sched.lock.unlock();
        }
    }

    /**
     * Tries to steal a goroutine or run another P's timers (stealWork). Leaves in {@code mp} the earliest
     * timer seen and whether new work may have appeared (a timer ran, or a stop-the-world is pending).
     */
    private static G stealWork(M mp, long now) {
        Sched sched = mp.sched;
        P pp = mp.p;
        mp.pollUntilScratch = 0;
        mp.newWorkScratch = false;
        boolean ranTimer = false;
        P[] allp = sched.allp;
        PMask idle = sched.idlepMask;
        PMask timerp = sched.timerpMask;
        for (int i = 0; i < STEAL_TRIES; i++) {
            boolean lastRound = i == STEAL_TRIES - 1;
            for (var e = sched.stealOrder.start(mp.fastrand()); !e.done(); e.next()) {
                if (sched.gcwaiting || sched.exiting) {
                    mp.newWorkScratch = true;
                    return null;
                }
                int pos = e.position();
                if (pos >= allp.length) {
                    continue; // GOMAXPROCS changed under us; the next round uses the new order
                }
                P p2 = allp[pos];
                if (p2 == pp) {
                    continue;
                }
                if (lastRound && timerp.read(pos)) {
                    if (now == 0) {
                        now = System.nanoTime();
                    }
                    int ran = p2.timers.run(now);
                    long w = p2.timers.earliest();
                    if (w != 0 && (mp.pollUntilScratch == 0 || w < mp.pollUntilScratch)) {
                        mp.pollUntilScratch = w;
                    }
                    if (ran > 0) {
                        G gp = pp.runq.get(mp);
                        if (gp != null) {
                            return gp;
                        }
                        ranTimer = true;
                    }
                }
                if (!idle.read(pos)) {
                    G gp = pp.runq.steal(p2.runq, lastRound);
                    if (gp != null) {
                        mp.inheritTime = false;
                        return gp;
                    }
                }
            }
        }
        mp.newWorkScratch = ranTimer;
        return null;
    }

    /** After dropping the P: if some P has queued work and a P is idle, take that P (checkRunqsNoP). */
    private static P checkRunqsNoP(Sched sched, P[] allpSnapshot, PMask idlepMaskSnapshot) {
        for (int id = 0; id < allpSnapshot.length; id++) {
            if (!idlepMaskSnapshot.read(id) && !allpSnapshot[id].runq.isEmpty()) {
                sched.lock.lock();
                try {
                    return sched.pidlegetSpinning();
                } finally {
                    sched.lock.unlock();
                }
            }
        }
        return null;
    }

    /**
     * After dropping the P: if marking has work for an idle worker, take an idle P back and run one on it
     * (checkIdleGCNoP). Work published after this M last looked would otherwise leave its P idle for the rest
     * of the mark phase: publishing marking work wakes no idle P (Go's enlistWorker keeps that switched off).
     * The P is taken, and put back when no worker can run, under the scheduler lock: a stop-the-world collects
     * the idle Ps under that lock, so it never counts this P as running while it goes back to idle.
     */
    private static G checkIdleGCNoP(M mp, GcScheduling gcs) {
        if (gcs == null || !gcs.idleMarkWorkWanted()) {
            return null;
        }
        Sched sched = mp.sched;
        P pp;
        G worker;
        sched.lock.lock();
        try {
            pp = sched.pidlegetSpinning();
            if (pp == null) {
                return null;
            }
            worker = gcs.findIdleGCWorker(pp);
            if (worker == null) {
                sched.pidleput(pp);
                return null;
            }
        } finally {
            sched.lock.unlock();
        }
        mp.acquirep(pp);
        mp.becomeSpinning();
        mp.inheritTime = false;
        return worker;
    }

    /** The earliest timer among the Ps that may have timers (checkTimersNoP). */
    private static long checkTimersNoP(P[] allpSnapshot, PMask timerpMaskSnapshot, long pollUntil) {
        for (int id = 0; id < allpSnapshot.length; id++) {
            if (timerpMaskSnapshot.read(id)) {
                long w = allpSnapshot[id].timers.earliest();
                if (w != 0 && (pollUntil == 0 || w < pollUntil)) {
                    pollUntil = w;
                }
            }
        }
        return pollUntil;
    }
}

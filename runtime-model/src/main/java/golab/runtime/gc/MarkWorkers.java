package golab.runtime.gc;

import golab.runtime.sched.G;
import golab.runtime.sched.GcScheduling;
import golab.runtime.sched.P;
import golab.runtime.sched.Park;
import golab.runtime.sched.Sched;
import golab.runtime.sched.WaitReason;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Background mark workers: Go's gcBgMarkWorker (mgc.go) and the scheduler side of them,
 * findRunnableGCWorker (mgcpacer.go) and findRunnable's idle-worker step (proc.go).
 *
 * <p>One worker goroutine per P is started at the first cycle and parks in a pool when it has nothing to
 * do. While a mark phase runs, the scheduler asks at every round whether its P should run a worker:
 * <ul>
 *   <li><b>dedicated</b>: the pacer wants {@code dedicatedMarkWorkersNeeded} Ps marking full time (25% of
 *       GOMAXPROCS rounded; none at GOMAXPROCS 1–3); the worker drains until preempted, then moves its P's run
 *       queue to the global queue and drains again without yielding to preemption, until the work runs out or a
 *       stop-the-world waits (a mark worker in Go runs on the system stack). While some are still wanted, a P
 *       that publishes grey objects preempts a random other running P so its scheduler gets to start one (Go's
 *       enlistWorker, {@link Marker});</li>
 *   <li><b>fractional</b>: the remainder of the 25% goal as a fraction of each P's time; the worker runs
 *       while this P's marking time since the phase began stays within 1.2 × that fraction;</li>
 *   <li><b>idle</b>: a P with nothing else to run marks until a goroutine becomes runnable.</li>
 * </ul>
 * After draining, a worker that finds no marker active and no work left starts mark termination.
 *
 * <p>Invariants: a worker in the pool is parked ({@code WAITING}); the mode of the worker running on P
 * {@code i} is {@code modes[i]}, written by the scheduler before it runs the worker.
 */
final class MarkWorkers implements GcScheduling {

    enum Mode { DEDICATED, FRACTIONAL, IDLE }

    private final Collector gc;
    private final ConcurrentLinkedDeque<G> pool = new ConcurrentLinkedDeque<>();
    private final Mode[] modes;
    /** Per P, nanoseconds of fractional marking this cycle (Go's p.gcFractionalMarkTime). */
    private final long[] fractionalTime;
    private int started;

    MarkWorkers(Collector gc, int maxProcs) {
        this.gc = gc;
        this.modes = new Mode[maxProcs];
        this.fractionalTime = new long[maxProcs];
    }

    /**
     * Go's gcBgMarkStartWorkers: makes sure {@code procs} workers exist, each parked in the pool. Runs on the
     * goroutine starting a cycle; yields to each new worker so it reaches the pool before marking starts.
     */
    void ensureStarted(int procs) {
        while (started < procs) {
            Sched.newSystemGoroutine(this::loop);
            started++;
            while (pool.size() < started) {
                Park.goyield();
            }
        }
    }

    /** A new cycle: forget last cycle's fractional time. Called with the world stopped. */
    void startCycle() {
        java.util.Arrays.fill(fractionalTime, 0);
    }

    @Override
    public G findRunnableGCWorker(P pp, long now) {
        if (!gc.blackenEnabled) {
            return null;
        }
        int pid = pp.id();
        if (!gc.marker.workAvailable(pid)) {
            return null;
        }
        Pacer pacer = gc.pacer;
        Mode mode;
        if (pacer.tryTakeDedicatedWorker()) {
            mode = Mode.DEDICATED;
        } else {
            double goal = pacer.fractionalUtilizationGoal();
            if (goal == 0) {
                return null;
            }
            if (now == 0) {
                now = System.nanoTime();
            }
            long delta = now - gc.markStartTime;
            if (delta > 0 && (double) fractionalTime[pid] / delta > goal) {
                return null;
            }
            mode = Mode.FRACTIONAL;
        }
        G gp = pool.poll();
        if (gp == null) {
            if (mode == Mode.DEDICATED) {
                pacer.releaseDedicatedWorker();
            }
            return null;
        }
        modes[pid] = mode;
        Park.claimParked(gp);
        return gp;
    }

    @Override
    public G findIdleGCWorker(P pp) {
        if (!gc.blackenEnabled || !gc.marker.workAvailable(pp.id())) {
            return null;
        }
        if (!gc.pacer.tryTakeIdleWorker()) {
            return null;
        }
        G gp = pool.poll();
        if (gp == null) {
            gc.pacer.releaseIdleWorker();
            return null;
        }
        modes[pp.id()] = Mode.IDLE;
        Park.claimParked(gp);
        return gp;
    }

    @Override
    public boolean idleMarkWorkWanted() {
        return gc.blackenEnabled && gc.pacer.needIdleMarkWorker() && gc.marker.workAvailable(-1);
    }

    /** A P is destroyed only between mark phases (gcsema): its grey objects would otherwise be lost. */
    @Override
    public void destroyP(P pp) {
        if (gc.phase != Collector.Phase.OFF) {
            throw new IllegalStateException("procresize: P" + pp.id() + " destroyed while the collector is in "
                    + gc.phase + " (a GOMAXPROCS change must hold gcsema)");
        }
    }

    /** The worker goroutine (gcBgMarkWorker). */
    private void loop() {
        G self = Park.getg();
        while (true) {
            Park.gopark((gp, workers) -> {
                workers.pool.push(gp);
                return true;
            }, this, WaitReason.GC_WORKER_IDLE);
            P pp = Park.currentP();
            int pid = pp.id();
            Mode mode = modes[pid];
            long start = System.nanoTime();
            gc.marker.active.incrementAndGet();
            Park.beginMarking(self, WaitReason.GC_WORKER_ACTIVE);
            switch (mode) {
                case DEDICATED -> {
                    gc.marker.drain(self, pid, true, null);
                    P now = Park.currentP(); // a stack scan may have yielded and resumed on another P
                    if (self.preemptRequested()) {
                        // Preempted: a useful signal to move this P's waiting goroutines where other Ps run them.
                        now.moveRunQueueToGlobal();
                    }
                    // Back to draining, now until the work runs out or a stop-the-world waits.
                    gc.marker.drain(self, now.id(), false, null);
                }
                case FRACTIONAL -> gc.marker.drain(self, pid, true, () -> fractionalDone(pid, start));
                case IDLE -> gc.marker.drain(self, pid, true, () -> pp.hasLocalWork() || gc.sched.hasGlobalWork());
            }
            Park.endMarking(self);
            long elapsed = System.nanoTime() - start;
            switch (mode) {
                case DEDICATED -> {
                    gc.pacer.releaseDedicatedWorker();
                    gc.accountWorker(mode, elapsed);
                }
                case FRACTIONAL -> {
                    fractionalTime[pid] += elapsed;
                    gc.accountWorker(mode, elapsed);
                }
                case IDLE -> {
                    gc.pacer.releaseIdleWorker();
                    gc.accountWorker(mode, elapsed);
                }
            }
            if (gc.marker.active.decrementAndGet() == 0 && !gc.marker.workAvailable(-1)) {
                gc.markDone();
            }
        }
    }

    /** Go's pollFractionalWorkerExit: this P has had more than 1.2 × its fractional share since mark began. */
    private boolean fractionalDone(int pid, long workerStart) {
        long now = System.nanoTime();
        long delta = now - gc.markStartTime;
        if (delta <= 0) {
            return true;
        }
        double selfTime = fractionalTime[pid] + (now - workerStart);
        return selfTime / delta > 1.2 * gc.pacer.fractionalUtilizationGoal();
    }
}

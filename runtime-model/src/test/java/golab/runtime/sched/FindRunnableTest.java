package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThat;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import golab.runtime.sync.WaitGroup;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What findRunnable and schedule do about marking: a worker that displaces queued work, and last looks after the P is dropped. */
@Timeout(60)
class FindRunnableTest {

    /**
     * checkIdleGCNoP: marking work that shows up after the M last asked with its P (here: the collector offers a
     * worker only for an idle P, one no M holds) is done by an idle worker on a P the M takes back, not left until
     * something else wakes the P. Without that last look the M would sleep through main's 200 ms and the worker
     * would not have run when main looks.
     */
    @Test
    void anMThatGaveUpItsPTakesOneBackForIdleMarkWork() {
        AtomicBoolean workerRan = new AtomicBoolean();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(1), () -> {
            Sched sched = Park.sched();
            AtomicReference<G> worker = new AtomicReference<>();
            Go.go(() -> {
                worker.set(Park.getg());
                Park.gopark((gp, lock) -> true, null, WaitReason.GC_WORKER_IDLE);
                workerRan.set(true);
            });
            while (worker.get() == null || worker.get().status() != GStatus.WAITING) {
                Go.gosched();
            }
            GcScheduling collector = sched.gcScheduling;
            AtomicBoolean offered = new AtomicBoolean();
            sched.setGcScheduling(new GcScheduling() {
                @Override
                public G findRunnableGCWorker(P pp, long now) {
                    return null;
                }

                @Override
                public G findIdleGCWorker(P pp) {
                    // Only for a P no M holds yet: asked by an M that has given its own P up.
                    boolean withoutP = pp.m == null && pp.status == PStatus.IDLE;
                    if (!withoutP || !offered.compareAndSet(false, true)) {
                        return null;
                    }
                    Park.claimParked(worker.get());
                    return worker.get();
                }

                @Override
                public boolean idleMarkWorkWanted() {
                    return !offered.get();
                }
            });
            try {
                Go.sleep(Duration.ofMillis(200));
            } finally {
                sched.setGcScheduling(collector);
            }
        });
        assertThat(workerRan).as("the idle worker ran while main slept").isTrue();
    }

    /**
     * schedule's tryWakeP: an M about to run a dedicated or fractional mark worker while a goroutine waits in its
     * P's queue wakes an idle P, whose M steals that goroutine. Here the goroutine is put in main's queue directly,
     * with the other P's M asleep, so that no wake-up of the usual kind (newproc's, ready's, a new timer's)
     * happens; the worker then holds main's P, without a safepoint, until the goroutine has run or 200 ms have
     * passed.
     */
    @Test
    void anMStartingAMarkWorkerWakesAnIdlePForTheWorkItDisplaces() {
        AtomicBoolean ranBesideTheWorker = new AtomicBoolean();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            Sched sched = Park.sched();
            AtomicBoolean userRan = new AtomicBoolean();
            AtomicReference<G> worker = new AtomicReference<>();
            WaitGroup workerDone = new WaitGroup();
            workerDone.add(1);
            Go.go(() -> {
                worker.set(Park.getg());
                Park.gopark((gp, lock) -> true, null, WaitReason.GC_WORKER_IDLE);
                long deadline = System.nanoTime() + 200_000_000L;
                while (!userRan.get() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                ranBesideTheWorker.set(userRan.get());
                workerDone.done();
            });
            while (worker.get() == null || worker.get().status() != GStatus.WAITING) {
                Go.gosched();
            }
            // The other P busy, so that creating the goroutine wakes nobody; then main takes it back.
            AtomicBoolean busy = new AtomicBoolean(true);
            AtomicBoolean occupying = new AtomicBoolean();
            Go.go(() -> {
                occupying.set(true);
                while (busy.get()) {
                    Thread.onSpinWait();
                }
            });
            while (!occupying.get()) {
                Go.gosched();
            }
            Go.go(() -> userRan.set(true));
            M mp = Park.currentM();
            G user = mp.p.runq.get(mp);
            assertThat(user).as("the new goroutine, in main's runnext").isNotNull();
            busy.set(false);
            while (sched.npidle.get() != 1 || sched.nmspinning.get() != 0) {
                Thread.onSpinWait();
            }
            mp.p.runq.put(user, false);
            GcScheduling collector = sched.gcScheduling;
            AtomicBoolean offered = new AtomicBoolean();
            sched.setGcScheduling(new GcScheduling() {
                @Override
                public G findRunnableGCWorker(P pp, long now) {
                    if (!offered.compareAndSet(false, true)) {
                        return null;
                    }
                    Park.claimParked(worker.get());
                    return worker.get();
                }

                @Override
                public G findIdleGCWorker(P pp) {
                    return null;
                }

                @Override
                public boolean idleMarkWorkWanted() {
                    return false;
                }
            });
            try {
                workerDone.await(); // parks main with no timer: adding one would wake the idle P (wakeNetPoller)
            } finally {
                sched.setGcScheduling(collector);
            }
        });
        assertThat(ranBesideTheWorker).as("the queued goroutine ran on the other P while the worker held main's").isTrue();
    }
}

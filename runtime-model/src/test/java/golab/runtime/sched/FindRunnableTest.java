package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThat;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** findRunnable's last looks after it has dropped its P. */
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
}

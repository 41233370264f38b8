package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import golab.runtime.metrics.MetricValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GOMAXPROCS changed at run time with a stop-the-world (procresize), while goroutines keep running. */
@Timeout(60)
class GomaxprocsTest {

    @Test
    void changesAtRunTimeAndWorkContinues() {
        List<Long> observed = new ArrayList<>();
        Set<String> msAtFour = ConcurrentHashMap.newKeySet();
        LongAdder done = new LongAdder();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            for (int i = 0; i < 50; i++) {
                Go.go(() -> {
                    SchedulerTest.burnMicros(20_000);
                    done.increment();
                });
            }
            observed.add((long) Go.gomaxprocs(1));
            observed.add((long) Go.gomaxprocs(0));
            observed.add(((MetricValue.Uint64) Go.metrics().read("/sched/gomaxprocs:threads")).value());
            observed.add((long) Go.gomaxprocs(4));
            observed.add((long) Go.gomaxprocs(0));
            observed.add((long) Park.sched().schedState().ps().size());
            for (int i = 0; i < 200; i++) {
                Go.go(() -> {
                    msAtFour.add(Thread.currentThread().getName());
                    SchedulerTest.burnMicros(2_000);
                    done.increment();
                });
            }
            while (done.sum() < 250) {
                Go.sleep(Duration.ofMillis(1));
            }
        });
        assertThat(observed).containsExactly(2L, 1L, 1L, 1L, 4L, 4L);
        assertThat(done.sum()).isEqualTo(250);
        assertThat(msAtFour).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void shrinkingMovesQueuedGoroutinesToSurvivingPs() {
        LongAdder done = new LongAdder();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(4), () -> {
            for (int i = 0; i < 1_000; i++) {
                Go.go(done::increment);
            }
            Go.gomaxprocs(1);
            while (done.sum() < 1_000) {
                Go.sleep(Duration.ofMillis(1));
            }
        });
        assertThat(done.sum()).isEqualTo(1_000);
    }

    /**
     * The world is held by one goroutine at a time (Go's worldsema): a GOMAXPROCS change waits while another
     * goroutine holds it, as across mark termination's ragged barrier and stop, parked as Go's semacquire parks
     * it; and forEachP refuses a caller that does not hold it.
     */
    @Test
    void aStopTheWorldWaitsForTheGoroutineHoldingTheWorld() {
        List<String> events = new ArrayList<>();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            assertThatIllegalStateException()
                    .isThrownBy(() -> WorldStop.forEachP(pp -> { }))
                    .withMessageContaining("does not hold the world");
            WorldStop.acquireWorld();
            changeGomaxprocsWhileHeld(events, () -> {
                WorldStop.forEachP(pp -> { });
                WorldStop.releaseWorld();
            });
        });
        assertThat(events).containsExactly("held: changed=false waiter=WAITING semacquire", "released: gomaxprocs=1");
    }

    /**
     * Go's gcsema: a GOMAXPROCS change waits, parked, while a collection (here the test, standing in for one)
     * holds it, and goes ahead once it is given back.
     */
    @Test
    void aGomaxprocsChangeParksWhileGcsemaIsHeld() {
        List<String> events = new ArrayList<>();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            WorldStop.acquireGcsema();
            changeGomaxprocsWhileHeld(events, WorldStop::releaseGcsema);
            assertThatIllegalStateException().isThrownBy(WorldStop::releaseGcsema).withMessageContaining("not held");
        });
        assertThat(events).containsExactly("held: changed=false waiter=WAITING semacquire", "released: gomaxprocs=1");
    }

    /**
     * With the caller holding what a GOMAXPROCS change waits for: starts a goroutine that sets GOMAXPROCS to 1,
     * records after 20 ms whether it changed and how the goroutine waits, calls {@code release}, and records the
     * GOMAXPROCS the change left.
     */
    private static void changeGomaxprocsWhileHeld(List<String> events, Runnable release) {
        AtomicBoolean changed = new AtomicBoolean();
        AtomicReference<G> waiter = new AtomicReference<>();
        Go.go(() -> {
            waiter.set(Park.getg());
            Go.gomaxprocs(1);
            changed.set(true);
        });
        Go.sleep(Duration.ofMillis(20));
        G gp = waiter.get();
        events.add("held: changed=" + changed.get() + " waiter="
                + (gp == null ? "not started" : gp.status() + " " + gp.waitReason()));
        release.run();
        while (!changed.get()) {
            Go.sleep(Duration.ofMillis(1));
        }
        events.add("released: gomaxprocs=" + Go.gomaxprocs(0));
    }

    @Test
    void stopTheWorldWaitsForAPollingSpinner() {
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            Go.go(() -> {
                while (true) {
                    Go.checkpoint();
                }
            });
            Go.sleep(Duration.ofMillis(5));
            for (int n : new int[] {1, 2, 1, 2}) {
                Go.gomaxprocs(n);
            }
        });
    }
}

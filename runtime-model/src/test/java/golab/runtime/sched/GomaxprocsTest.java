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
     * goroutine holds it, as across mark termination's ragged barrier and stop, and forEachP refuses a caller
     * that does not hold it.
     */
    @Test
    void aStopTheWorldWaitsForTheGoroutineHoldingTheWorld() {
        List<String> events = new ArrayList<>();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            assertThatIllegalStateException()
                    .isThrownBy(() -> WorldStop.forEachP(pp -> { }))
                    .withMessageContaining("does not hold the world");
            WorldStop.acquireWorld();
            AtomicBoolean changed = new AtomicBoolean();
            Go.go(() -> {
                Go.gomaxprocs(1);
                changed.set(true);
            });
            Go.sleep(Duration.ofMillis(20));
            events.add("held: changed=" + changed.get());
            WorldStop.forEachP(pp -> { });
            WorldStop.releaseWorld();
            while (!changed.get()) {
                Go.sleep(Duration.ofMillis(1));
            }
            events.add("released: gomaxprocs=" + Go.gomaxprocs(0));
        });
        assertThat(events).containsExactly("held: changed=false", "released: gomaxprocs=1");
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

package golab.runtime.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoPanic;
import golab.runtime.GoRuntime;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** sync.WaitGroup and sync.Once after Go's waitgroup_test.go and once_test.go. */
@Timeout(60)
class WaitGroupOnceTest {

    private static void run(Runnable main) {
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), main);
    }

    @Test
    void waitReturnsAfterEveryDone() {
        LongAdder done = new LongAdder();
        AtomicInteger seenAtWait = new AtomicInteger();
        run(() -> {
            WaitGroup wg = new WaitGroup();
            for (int round = 0; round < 50; round++) {
                int n = 100;
                wg.add(n);
                for (int i = 0; i < n; i++) {
                    Go.go(() -> {
                        done.increment();
                        wg.done();
                    });
                }
                wg.await();
                seenAtWait.set((int) done.sum());
                assertThat(done.sum()).isEqualTo((round + 1) * 100L);
            }
            new WaitGroup().await(); // zero counter: returns at once
        });
        assertThat(seenAtWait.get()).isEqualTo(5_000);
    }

    @Test
    void negativeCounterPanics() {
        assertThatThrownBy(() -> run(() -> new WaitGroup().done()))
                .isInstanceOf(GoPanic.class).hasMessageStartingWith("panic: sync: negative WaitGroup counter");
    }

    @Test
    void onceRunsExactlyOnceAndEveryCallerSeesIt() {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger sawRun = new AtomicInteger();
        run(() -> {
            Once once = new Once();
            WaitGroup wg = new WaitGroup();
            wg.add(100);
            for (int i = 0; i < 100; i++) {
                Go.go(() -> {
                    once.run(() -> {
                        Go.gosched();
                        runs.incrementAndGet();
                    });
                    if (runs.get() == 1) {
                        sawRun.incrementAndGet();
                    }
                    wg.done();
                });
            }
            wg.await();
        });
        assertThat(runs.get()).isEqualTo(1);
        assertThat(sawRun.get()).isEqualTo(100);
    }
}

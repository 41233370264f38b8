package golab.runtime.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoPanic;
import golab.runtime.GoRuntime;
import golab.runtime.chan.Chan;
import golab.runtime.chan.Select;
import golab.runtime.time.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** sync.Mutex after Go's mutex_test.go: exclusion, TryLock, misuse, and starvation mode's fairness. */
@Timeout(60)
class MutexTest {

    private static void run(int procs, Runnable main) {
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(procs), main);
    }

    private int counter;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void excludesUnderContention(int procs) {
        int goroutines = 16;
        int increments = 20_000;
        run(procs, () -> {
            Mutex mu = new Mutex();
            WaitGroup wg = new WaitGroup();
            wg.add(goroutines);
            for (int g = 0; g < goroutines; g++) {
                Go.go(() -> {
                    for (int i = 0; i < increments; i++) {
                        mu.lock();
                        counter++;
                        mu.unlock();
                    }
                    wg.done();
                });
            }
            wg.await();
        });
        assertThat(counter).isEqualTo(goroutines * increments);
    }

    @Test
    void tryLockFailsWhileHeld() {
        run(1, () -> {
            Mutex mu = new Mutex();
            assertThat(mu.tryLock()).isTrue();
            assertThat(mu.tryLock()).isFalse();
            mu.unlock();
            assertThat(mu.tryLock()).isTrue();
        });
    }

    @Test
    void unlockOfUnlockedMutexPanics() {
        assertThatThrownBy(() -> run(1, () -> new Mutex().unlock()))
                .isInstanceOf(GoPanic.class).hasMessageStartingWith("panic: sync: unlock of unlocked mutex");
    }

    /**
     * Go's TestMutexFairness: one goroutine holds the lock almost all the time; another, which asks for it
     * now and then, must still get it ten times. Without starvation mode it could wait forever.
     */
    @Test
    void starvationModeLetsAWaiterIn() {
        AtomicBoolean acquired = new AtomicBoolean();
        run(2, () -> {
            Mutex mu = new Mutex();
            Chan<Boolean> stop = Chan.make();
            Go.go(() -> {
                while (true) {
                    mu.lock();
                    Go.sleep(Duration.ofNanos(100_000));
                    mu.unlock();
                    if (stop.tryRecv() != null) {
                        return;
                    }
                }
            });
            Chan<Boolean> done = Chan.make(1);
            Go.go(() -> {
                for (int i = 0; i < 10; i++) {
                    Go.sleep(Duration.ofNanos(100_000));
                    mu.lock();
                    mu.unlock();
                }
                done.send(true);
            });
            var finished = Select.recv(done);
            acquired.set(Select.select(finished, Select.recv(Timer.after(Duration.ofSeconds(10)))) == 0);
            stop.close();
        });
        assertThat(acquired).as("the waiter got the mutex ten times within 10 s").isTrue();
    }
}

package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import golab.runtime.sync.WaitGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runtime mutex: mutual exclusion under contention heavy enough that contenders sleep, and no lost
 * wake-up — a sleeper that an unlock fails to wake stays asleep for good (there is no timed retry), so a
 * lost wake-up shows as a test that does not finish.
 */
class RuntimeLockTest {

    /** Long enough a critical section that contenders exhaust their spins and go to sleep. */
    private static void hold() {
        for (int i = 0; i < 200; i++) {
            Thread.onSpinWait();
        }
    }

    @Test
    void excludesAndWakesEverySleeperAmongPlatformThreads() throws Exception {
        RuntimeLock lock = new RuntimeLock();
        int threads = 6;
        int rounds = 20_000;
        long[] counter = {0};
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < rounds; i++) {
                    lock.lock();
                    long seen = counter[0];
                    hold();
                    counter[0] = seen + 1; // a second holder inside would lose an increment
                    lock.unlock();
                }
            }));
        }
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            start.countDown();
            for (Thread t : ts) {
                t.join();
            }
        }, "a contender was never woken");
        assertThat(counter[0]).isEqualTo((long) threads * rounds);
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void aSleeperIsWokenByTheUnlock() throws Exception {
        RuntimeLock lock = new RuntimeLock();
        lock.lock();
        CountDownLatch acquired = new CountDownLatch(1);
        Thread waiter = Thread.ofPlatform().start(() -> {
            lock.lock();
            acquired.countDown();
            lock.unlock();
        });
        // Until it parks, the waiter spins; once parked only an unlock can release it.
        while (waiter.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        assertThat(acquired.getCount()).isEqualTo(1);
        lock.unlock();
        assertThat(acquired.await(30, TimeUnit.SECONDS)).as("the unlock woke the sleeper").isTrue();
        waiter.join();
    }

    /** Goroutines contend across Ms and migrate between them: the sleeper queued must be the parked carrier. */
    @Test
    void excludesAmongGoroutinesMovingBetweenMs() {
        RuntimeLock lock = new RuntimeLock();
        long[] counter = {0};
        int goroutines = 8;
        int rounds = 5_000;
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> GoRuntime.run(GoConfig.defaults().withGomaxprocs(4), () -> {
            WaitGroup wg = new WaitGroup();
            wg.add(goroutines);
            for (int g = 0; g < goroutines; g++) {
                Go.go(() -> {
                    for (int i = 0; i < rounds; i++) {
                        lock.lock();
                        long seen = counter[0];
                        hold();
                        counter[0] = seen + 1;
                        lock.unlock();
                        if (i % 64 == 0) {
                            Go.gosched(); // move between Ms and Ps
                        }
                    }
                    wg.done();
                });
            }
            wg.await();
        }), "a contender was never woken");
        assertThat(counter[0]).isEqualTo((long) goroutines * rounds);
    }

    @Test
    void unlockingAnUnlockedLockIsRefused() {
        RuntimeLock lock = new RuntimeLock();
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalStateException.class).hasMessage("unlock of unlocked lock");
    }
}

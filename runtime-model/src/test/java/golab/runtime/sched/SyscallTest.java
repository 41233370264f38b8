package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoFatalError;
import golab.runtime.GoRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Blocking calls: the M blocks, sysmon retakes its P and hands it to another M, and the other goroutines
 * keep running, even on one P. Also the thread limit that such hand-offs can hit.
 */
@Timeout(60)
class SyscallTest {

    @Test
    void blockingSyscallDoesNotStopOtherGoroutinesOnOneP() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean syscallStillBlocked = new AtomicBoolean();
        AtomicInteger workDone = new AtomicInteger();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(1), () -> {
            AtomicBoolean returned = new AtomicBoolean();
            Go.go(() -> {
                uninterruptibly(() -> release.await(10, TimeUnit.SECONDS));
                returned.set(true);
            });
            Go.sleep(Duration.ofMillis(1)); // let it enter the call
            for (int i = 0; i < 100; i++) {
                Go.go(workDone::incrementAndGet);
            }
            while (workDone.get() < 100) {
                Go.sleep(Duration.ofMillis(1));
            }
            syscallStillBlocked.set(!returned.get());
            release.countDown();
            while (!returned.get()) {
                Go.sleep(Duration.ofMillis(1));
            }
        });
        assertThat(workDone.get()).isEqualTo(100);
        assertThat(syscallStillBlocked).as("the work finished while the syscall was blocked").isTrue();
    }

    @Test
    void shortSyscallKeepsItsPOnTheFastPath() {
        AtomicInteger results = new AtomicInteger();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            for (int i = 0; i < 10_000; i++) {
                results.addAndGet(Go.syscall(() -> 1));
            }
        });
        assertThat(results.get()).isEqualTo(10_000);
    }

    @Test
    void exceedingTheThreadLimitIsFatal() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        GoConfig config = GoConfig.defaults().withGomaxprocs(1).withMaxThreads(4)
                .withStderr(new PrintStream(err, true));
        assertThatThrownBy(() -> GoRuntime.run(config, () -> {
            for (int i = 0; i < 10; i++) {
                Go.go(() -> uninterruptibly(() -> {
                    Thread.sleep(5_000);
                    return null;
                }));
            }
            Go.sleep(Duration.ofSeconds(5));
        })).isInstanceOfSatisfying(GoFatalError.class,
                e -> assertThat(e.fatalMessage()).isEqualTo("thread exhaustion"));
        assertThat(err.toString()).contains("runtime: program exceeds 4-thread limit");
    }

    /** A blocking call whose interruption (at teardown) just ends the goroutine. */
    private static void uninterruptibly(golab.runtime.sched.BlockingCall<?, InterruptedException> call) {
        try {
            Go.syscall(call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

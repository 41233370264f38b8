package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThat;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cooperative vs preemptive scheduling on one P. A goroutine spins for {@link #SPIN}; main sleeps 1 ms
 * and records when it gets the P back. If the spinner polls {@code checkpoint()}, sysmon's 10 ms
 * time-slice rule preempts it and main returns within tens of ms (Go 1.14+). If it never polls, main
 * cannot run until the spinner finishes (Go 1.13's tight-loop starvation).
 */
@Timeout(60)
class PreemptionTest {

    private static final Duration SPIN = Duration.ofMillis(600);

    @Test
    void pollingSpinnerIsPreemptedBySysmon() {
        long waited = mainWakeUpDelay(true);
        assertThat(Duration.ofNanos(waited)).isLessThan(SPIN.dividedBy(2));
    }

    @Test
    void spinnerWithoutSafepointsStarvesItsP() {
        long waited = mainWakeUpDelay(false);
        assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(SPIN);
    }

    private static long mainWakeUpDelay(boolean polls) {
        AtomicLong waited = new AtomicLong();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(1), () -> {
            long start = System.nanoTime();
            Go.go(() -> {
                long end = start + SPIN.toNanos();
                while (System.nanoTime() < end) {
                    if (polls) {
                        Go.checkpoint();
                    }
                }
            });
            Go.sleep(Duration.ofMillis(1));
            waited.set(System.nanoTime() - start);
        });
        return waited.get();
    }
}

package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThat;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * enlistWorker's preemption ({@link Sched#preemptRandomOtherP}) with two Ps asks the goroutine on the other
     * P to yield and leaves the caller's alone. Sysmon asks a goroutine that has run 10 ms too, so a round in
     * which either flag was already set before the call says nothing and is played again.
     */
    @Test
    void enlistingAWorkerAsksTheGoroutineOnAnotherRunningPToYield() {
        AtomicReference<String> outcome = new AtomicReference<>("no clean round");
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            for (int round = 0; round < 20 && outcome.get().equals("no clean round"); round++) {
                AtomicReference<G> spinner = new AtomicReference<>();
                AtomicBoolean release = new AtomicBoolean();
                golab.runtime.sync.WaitGroup done = new golab.runtime.sync.WaitGroup();
                done.add(1);
                Go.go(() -> {
                    spinner.set(Park.getg());
                    while (!release.get()) {
                        Thread.onSpinWait(); // no safepoint: it keeps the other P until released
                    }
                    done.done();
                });
                while (spinner.get() == null) {
                    Thread.onSpinWait(); // nor here: the spinner must be running on the other P
                }
                G self = Park.getg();
                boolean clean = !spinner.get().preemptRequested() && !self.preemptRequested();
                Park.sched().preemptRandomOtherP();
                if (clean && !self.preemptRequested()) {
                    outcome.set(spinner.get().preemptRequested() ? "other asked" : "other not asked");
                }
                release.set(true);
                done.await();
            }
        });
        assertThat(outcome.get()).isEqualTo("other asked");
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

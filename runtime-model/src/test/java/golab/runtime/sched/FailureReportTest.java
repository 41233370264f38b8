package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoFatalError;
import golab.runtime.GoPanic;
import golab.runtime.GoRuntime;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a run fails: deadlock detection and panics, reported in Go's format, with no thread left behind. */
@Timeout(60)
class FailureReportTest {

    private static final GoConfig TWO_PROCS = GoConfig.defaults().withGomaxprocs(2);

    @Test
    void allGoroutinesAsleepIsADeadlock() {
        Set<Thread> before = SchedulerTest.golabThreads();
        assertThatThrownBy(() -> GoRuntime.run(TWO_PROCS, () -> {
            Go.go(FailureReportTest::waitForever);
            waitForever();
        })).isInstanceOfSatisfying(GoFatalError.class, e -> {
            assertThat(e.fatalMessage()).isEqualTo("all goroutines are asleep - deadlock!");
            String report = e.report();
            assertThat(report).startsWith("fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\n");
            assertThat(report).contains("golab.runtime.sched.FailureReportTest.waitForever(...)\n\tFailureReportTest.java:");
            assertThat(report).containsPattern("\ngoroutine \\d+ \\[chan receive]:\n");
            assertThat(report).containsPattern(
                    "created by golab\\.runtime\\.sched\\.FailureReportTest\\.lambda\\$allGoroutinesAsleepIsADeadlock\\$\\d+ in goroutine 1\n\tFailureReportTest\\.java:\\d+\n");
            assertThat(report).doesNotContain("golab.runtime.sched.Park");
        });
        Set<Thread> after = SchedulerTest.golabThreads();
        after.removeAll(before);
        assertThat(after).isEmpty();
    }

    @Test
    void sleepingGoroutineIsNotADeadlock() {
        GoRuntime.run(TWO_PROCS, () -> Go.sleep(java.time.Duration.ofMillis(50)));
    }

    @Test
    void uncaughtExceptionIsAPanicOfThatGoroutine() {
        assertThatThrownBy(() -> GoRuntime.run(TWO_PROCS, () -> {
            Go.go(() -> {
                throw new IllegalStateException("boom");
            });
            waitForever();
        })).isInstanceOfSatisfying(GoPanic.class, e -> {
            assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            assertThat(e.report()).startsWith("panic: java.lang.IllegalStateException: boom\n\ngoroutine ");
            assertThat(e.report()).containsPattern("goroutine \\d+ \\[running]:\ngolab\\.runtime\\.sched\\.FailureReportTest\\.lambda");
            assertThat(e.report()).contains(" in goroutine 1\n");
        });
    }

    @Test
    void panicInMainEndsTheRun() {
        assertThatThrownBy(() -> GoRuntime.run(TWO_PROCS, () -> {
            throw new ArithmeticException("/ by zero");
        })).isInstanceOf(GoPanic.class)
                .hasMessageStartingWith("panic: java.lang.ArithmeticException: / by zero\n\ngoroutine 1 [running]:");
    }

    @Test
    void runtimeCallsOutsideAGoroutineAreRejected() {
        assertThatThrownBy(() -> Go.go(() -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not on a goroutine");
        assertThatThrownBy(Go::gosched).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nestedRunsAreRejected() {
        assertThatThrownBy(() -> GoRuntime.run(TWO_PROCS, () -> GoRuntime.run(TWO_PROCS, () -> { })))
                .isInstanceOf(GoPanic.class)
                .hasRootCauseMessage("GoRuntime.run: called from a goroutine; runs cannot be nested");
    }

    private static void waitForever() {
        Park.gopark((gp, unused) -> true, null, WaitReason.CHAN_RECEIVE);
    }
}

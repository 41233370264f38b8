package golab.runtime.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import golab.runtime.chan.Chan;
import golab.runtime.chan.Select;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timers as channels: After, Stop, Reset and Ticker on the per-P timer heaps. */
@Timeout(60)
class TimerTest {

    private static void run(Runnable main) {
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), main);
    }

    @Test
    void afterDeliversTheTimeOnce() {
        AtomicLong elapsed = new AtomicLong();
        run(() -> {
            long t0 = System.nanoTime();
            Instant fired = Timer.after(Duration.ofMillis(20)).recv();
            elapsed.set(System.nanoTime() - t0);
            assertThat(fired).isNotNull();
        });
        assertThat(elapsed.get()).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    }

    @Test
    void stopBeforeFiringPreventsTheSend() {
        run(() -> {
            Timer t = Timer.newTimer(Duration.ofMillis(20));
            assertThat(t.stop()).isTrue();
            assertThat(t.stop()).isFalse();
            Go.sleep(Duration.ofMillis(40));
            assertThat(t.c().tryRecv()).isNull();
        });
    }

    @Test
    void resetRearmsAndReportsWhetherItWasActive() {
        run(() -> {
            Timer t = Timer.newTimer(Duration.ofHours(1));
            assertThat(t.reset(Duration.ofMillis(5))).isTrue();
            assertThat(t.c().recv()).isNotNull();
            assertThat(t.reset(Duration.ofMillis(5))).isFalse();
            assertThat(t.c().recv()).isNotNull();
        });
    }

    @Test
    void selectWithATimeout() {
        run(() -> {
            Chan<String> never = Chan.make();
            assertThat(Select.select(Select.recv(never), Select.recv(Timer.after(Duration.ofMillis(5))))).isEqualTo(1);
        });
    }

    @Test
    void tickerTicksUntilStopped() {
        AtomicInteger ticks = new AtomicInteger();
        run(() -> {
            Ticker t = Ticker.newTicker(Duration.ofMillis(5));
            for (int i = 0; i < 5; i++) {
                t.c().recv();
                ticks.incrementAndGet();
            }
            t.stop();
            t.c().tryRecv(); // a tick may have been buffered before the stop
            Go.sleep(Duration.ofMillis(30));
            assertThat(t.c().tryRecv()).isNull();
        });
        assertThat(ticks.get()).isEqualTo(5);
    }

    @Test
    void nonPositiveTickerIntervalIsRejected() {
        assertThatThrownBy(() -> Ticker.newTicker(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-positive interval for NewTicker");
    }
}

package golab.runtime.chan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoFatalError;
import golab.runtime.GoPanic;
import golab.runtime.GoRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Channel semantics after Go's chan_test.go: order, close, panics, nil channels, bad input. */
@Timeout(60)
class ChanTest {

    private static void run(int procs, Runnable main) {
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(procs), main);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 10, 1000})
    void valuesArriveInOrder(int cap) {
        List<Integer> got = new ArrayList<>();
        run(2, () -> {
            Chan<Integer> c = Chan.make(cap);
            Go.go(() -> {
                for (int i = 0; i < 10_000; i++) {
                    c.send(i);
                }
                c.close();
            });
            for (Integer v = c.recv(); v != null; v = c.recv()) {
                got.add(v);
            }
        });
        assertThat(got).hasSize(10_000);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).isEqualTo(i);
        }
    }

    @Test
    void lenAndCapOfABufferedChannel() {
        run(1, () -> {
            Chan<String> c = Chan.make(3);
            c.send("a");
            c.send("b");
            assertThat(c.len()).isEqualTo(2);
            assertThat(c.cap()).isEqualTo(3);
            assertThat(c.trySend("c")).isTrue();
            assertThat(c.trySend("d")).as("full").isFalse();
            assertThat(c.recv()).isEqualTo("a");
        });
    }

    @Test
    void closedChannelDrainsThenYieldsZeroValues() {
        List<Received<String>> got = new ArrayList<>();
        run(1, () -> {
            Chan<String> c = Chan.make(2);
            c.send("x");
            c.send("y");
            c.close();
            for (int i = 0; i < 4; i++) {
                got.add(c.recv2());
            }
            assertThat(c.tryRecv()).isEqualTo(new Received<String>(null, false));
        });
        assertThat(got).containsExactly(new Received<>("x", true), new Received<>("y", true),
                new Received<>(null, false), new Received<>(null, false));
    }

    @Test
    void closeWakesEveryBlockedReceiver() {
        AtomicInteger woken = new AtomicInteger();
        run(2, () -> {
            Chan<Integer> c = Chan.make();
            Chan<Boolean> done = Chan.make(100);
            for (int i = 0; i < 100; i++) {
                Go.go(() -> {
                    if (!c.recv2().ok()) {
                        woken.incrementAndGet();
                    }
                    done.send(true);
                });
            }
            Go.sleep(java.time.Duration.ofMillis(10));
            c.close();
            for (int i = 0; i < 100; i++) {
                done.recv();
            }
        });
        assertThat(woken.get()).isEqualTo(100);
    }

    @Test
    void tryRecvOnAnEmptyOpenChannelDoesNotBlock() {
        run(1, () -> assertThat(Chan.<Integer>make(1).tryRecv()).isNull());
    }

    @Test
    void sendOnClosedChannelPanics() {
        assertThatThrownBy(() -> run(1, () -> {
            Chan<Integer> c = Chan.make(1);
            c.close();
            c.send(1);
        })).isInstanceOf(GoPanic.class).hasMessageStartingWith("panic: send on closed channel\n\ngoroutine 1 [running]:");
    }

    @Test
    void blockedSenderPanicsWhenTheChannelCloses() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        run(2, () -> {
            Chan<Integer> c = Chan.make();
            Chan<Boolean> done = Chan.make(1);
            Go.go(() -> {
                try {
                    c.send(1);
                } catch (RuntimeException e) {
                    thrown.set(e);
                }
                done.send(true);
            });
            Go.sleep(java.time.Duration.ofMillis(5));
            c.close();
            done.recv();
        });
        assertThat(thrown.get()).hasToString("send on closed channel");
    }

    @Test
    void closeOfClosedAndNilChannelsPanic() {
        assertThatThrownBy(() -> run(1, () -> {
            Chan<Integer> c = Chan.make();
            c.close();
            c.close();
        })).hasMessageStartingWith("panic: close of closed channel");
        assertThatThrownBy(() -> run(1, () -> Chan.nil().close())).hasMessageStartingWith("panic: close of nil channel");
    }

    @Test
    void nilChannelBlocksForeverAndDeadlockDetectionSeesIt() {
        assertThatThrownBy(() -> run(2, () -> Chan.<Integer>nil().recv()))
                .isInstanceOfSatisfying(GoFatalError.class, e -> assertThat(e.report())
                        .startsWith("fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive (nil chan)]:"));
        assertThatThrownBy(() -> run(2, () -> Chan.<Integer>nil().send(1)))
                .hasMessageContaining("goroutine 1 [chan send (nil chan)]:");
        run(1, () -> {
            assertThat(Chan.<Integer>nil().trySend(1)).isFalse();
            assertThat(Chan.<Integer>nil().tryRecv()).isNull();
        });
    }

    @Test
    void unbufferedChannelDeadlockNamesTheOperation() {
        assertThatThrownBy(() -> run(1, () -> Chan.<Integer>make().send(1)))
                .hasMessageStartingWith("fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan send]:");
    }

    @Test
    void badInputIsRejectedAtTheCall() {
        assertThatThrownBy(() -> Chan.make(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("makechan: size out of range: -1 (must be >= 0)");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        run(1, () -> {
            try {
                Chan.<String>make(1).send(null);
            } catch (IllegalArgumentException e) {
                thrown.set(e);
            }
        });
        assertThat(thrown.get()).hasMessageStartingWith("send of null on a channel");
    }
}

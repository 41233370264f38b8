package golab.runtime.chan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoFatalError;
import golab.runtime.GoRuntime;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** select after Go's select tests: readiness, default, fairness, blocking on many channels, close. */
@Timeout(120)
class SelectTest {

    private static void run(int procs, Runnable main) {
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(procs), main);
    }

    @Test
    void defaultWhenNothingIsReady() {
        run(1, () -> {
            Chan<Integer> a = Chan.make();
            Chan<Integer> b = Chan.make(1);
            assertThat(Select.selectOrDefault(Select.recv(a), Select.recv(b))).isEqualTo(-1);
            b.send(7);
            var rb = Select.recv(b);
            assertThat(Select.selectOrDefault(Select.recv(a), rb)).isEqualTo(1);
            assertThat(rb.value()).isEqualTo(7);
            assertThat(rb.ok()).isTrue();
        });
    }

    /**
     * With {@code k} cases always ready, each must be chosen about {@code n/k} times: a chi-square test of
     * uniformity, at a significance level that a correct implementation fails about once in 10^4 runs.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void choiceAmongReadyCasesIsUniform(int k) {
        int n = 40_000;
        long[] counts = new long[k];
        run(1, () -> {
            @SuppressWarnings("unchecked")
            Chan<Integer>[] cs = new Chan[k];
            Select.Case[] cases = new Select.Case[k];
            for (int i = 0; i < k; i++) {
                cs[i] = Chan.make(1);
                cases[i] = Select.recv(cs[i]);
            }
            for (int round = 0; round < n; round++) {
                for (Chan<Integer> c : cs) {
                    c.trySend(1);
                }
                counts[Select.select(cases)]++;
            }
        });
        double expected = (double) n / k;
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        double[] critical = {0, 15.14, 18.42, 21.11}; // chi-square quantile 0.9999 for k-1 = 1, 2, 3 degrees
        assertThat(chi2).as("chi-square of %s", java.util.Arrays.toString(counts)).isLessThan(critical[k - 1]);
    }

    @Test
    void blockedSelectWakesOnWhicheverChannelIsUsed() {
        run(2, () -> {
            Chan<String> a = Chan.make();
            Chan<String> b = Chan.make();
            Chan<String> out = Chan.make();
            Go.go(() -> {
                Go.sleep(Duration.ofMillis(5));
                b.send("from b");
            });
            var ra = Select.recv(a);
            var rb = Select.recv(b);
            assertThat(Select.select(ra, rb, Select.send(out, "unused"))).isEqualTo(1);
            assertThat(rb.value()).isEqualTo("from b");
            // The losing cases were unqueued: a later send on a must not find a stale waiter.
            assertThat(a.trySend("late")).isFalse();
        });
    }

    @Test
    void selectSendHandsOffToAWaitingReceiver() {
        AtomicReference<String> got = new AtomicReference<>();
        run(2, () -> {
            Chan<String> c = Chan.make();
            Chan<Boolean> done = Chan.make();
            Go.go(() -> {
                got.set(c.recv());
                done.send(true);
            });
            Go.sleep(Duration.ofMillis(5));
            assertThat(Select.select(Select.send(c, "hi"))).isZero();
            done.recv();
        });
        assertThat(got.get()).isEqualTo("hi");
    }

    @Test
    void closedChannelIsAlwaysReadyForReceive() {
        run(1, () -> {
            Chan<Integer> c = Chan.make();
            c.close();
            var r = Select.recv(c);
            assertThat(Select.select(r, Select.recv(Chan.<Integer>make()))).isZero();
            assertThat(r.ok()).isFalse();
            assertThat(r.value()).isNull();
        });
    }

    @Test
    void emptySelectBlocksForever() {
        assertThatThrownBy(() -> run(2, () -> Select.select()))
                .isInstanceOfSatisfying(GoFatalError.class, e -> assertThat(e.report())
                        .startsWith("fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [select (no cases)]:"));
        run(1, () -> assertThat(Select.selectOrDefault()).isEqualTo(-1));
    }

    @Test
    void badCasesAreRejected() {
        assertThatThrownBy(() -> Select.recv(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use Chan.nil()");
        run(1, () -> assertThatThrownBy(() -> Select.select(Select.recv(Chan.make()), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("select: case 1 is null"));
    }

    /**
     * Many senders, receivers (some in selects) and a closer: every value sent before the close is received
     * exactly once, and the only failures are sends that raced the close.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 4})
    void stressOfSendersReceiversAndCloser(int cap) {
        int senders = 8;
        int perSender = 5_000;
        Set<Integer> received = java.util.concurrent.ConcurrentHashMap.newKeySet();
        LongAdder duplicates = new LongAdder();
        LongAdder delivered = new LongAdder();
        AtomicLong sentOk = new AtomicLong();
        run(2, () -> {
            Chan<Integer> c = Chan.make(cap);
            Chan<Integer> side = Chan.make(cap);
            Chan<Boolean> done = Chan.make(64);
            AtomicInteger sendersLeft = new AtomicInteger(senders);
            for (int s = 0; s < senders; s++) {
                int base = s * perSender;
                Go.go(() -> {
                    for (int i = 0; i < perSender; i++) {
                        int v = base + i;
                        if (i % 2 == 0) {
                            c.send(v);
                        } else {
                            Select.select(Select.send(c, v), Select.send(side, v));
                        }
                        sentOk.incrementAndGet();
                    }
                    if (sendersLeft.decrementAndGet() == 0) {
                        c.close();
                        side.close();
                    }
                    done.send(true);
                });
            }
            for (int r = 0; r < 4; r++) {
                Go.go(() -> {
                    var rc = Select.recv(c);
                    var rs = Select.recv(side);
                    boolean cOpen = true;
                    boolean sideOpen = true;
                    while (cOpen || sideOpen) {
                        int i = Select.select(cOpen ? rc : Select.recv(Chan.<Integer>nil()),
                                sideOpen ? rs : Select.recv(Chan.<Integer>nil()));
                        var got = i == 0 ? rc : rs;
                        if (!got.ok()) {
                            if (i == 0) {
                                cOpen = false;
                            } else {
                                sideOpen = false;
                            }
                            continue;
                        }
                        delivered.increment();
                        if (!received.add(got.value())) {
                            duplicates.increment();
                        }
                    }
                    done.send(true);
                });
            }
            for (int i = 0; i < senders + 4; i++) {
                done.recv();
            }
        });
        assertThat(duplicates.sum()).isZero();
        assertThat(delivered.sum()).isEqualTo(sentOk.get()).isEqualTo((long) senders * perSender);
        Set<Integer> expected = new HashSet<>();
        for (int i = 0; i < senders * perSender; i++) {
            expected.add(i);
        }
        assertThat(received).isEqualTo(expected);
    }

    /** Closers racing each other and blocked receivers and senders: one close wins, everyone wakes. */
    @Test
    void racingClosersWakeEveryWaiterOnce() {
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger closePanics = new AtomicInteger();
        AtomicInteger receiversWoken = new AtomicInteger();
        AtomicInteger sendPanics = new AtomicInteger();
        run(2, () -> {
            for (int round = 0; round < 200; round++) {
                Chan<Integer> c = Chan.make();
                Chan<Boolean> done = Chan.make(32);
                for (int i = 0; i < 8; i++) {
                    Go.go(() -> {
                        if (!c.recv2().ok()) {
                            receiversWoken.incrementAndGet();
                        }
                        done.send(true);
                    });
                    Go.go(() -> {
                        try {
                            Select.select(Select.send(c, 1), Select.recv(Chan.<Integer>nil()));
                        } catch (golab.runtime.RuntimePanic p) {
                            sendPanics.incrementAndGet();
                        }
                        done.send(true);
                    });
                }
                Go.gosched();
                for (int i = 0; i < 4; i++) {
                    Go.go(() -> {
                        try {
                            c.close();
                            closed.incrementAndGet();
                        } catch (golab.runtime.RuntimePanic p) {
                            closePanics.incrementAndGet();
                        }
                        done.send(true);
                    });
                }
                for (int i = 0; i < 20; i++) {
                    done.recv();
                }
            }
        });
        assertThat(closed.get()).isEqualTo(200);
        assertThat(closePanics.get()).isEqualTo(600);
        // Senders and receivers pair off; the unpaired ones of each side are woken by the close, so as many
        // receivers get the zero value as senders panic.
        assertThat(receiversWoken.get()).isEqualTo(sendPanics.get());
    }

    private static final class AtomicReference<T> extends java.util.concurrent.atomic.AtomicReference<T> {
    }
}

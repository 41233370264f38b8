package golab.runtime.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CpuLimiter} against the leaky-bucket rules of go-runtime.md §8.6, with hand-computed fills. */
class CpuLimiterTest {

    static final long MS = 1_000_000;
    static final long S = 1_000_000_000;

    /** A limiter on 4 Ps at time 0 with marking on (the transition itself takes no time). */
    static CpuLimiter marking() {
        CpuLimiter l = new CpuLimiter(4, 0);
        l.startGCTransition(true, 0);
        l.finishGCTransition(0);
        return l;
    }

    @Test
    void startsEmpty() {
        CpuLimiter l = new CpuLimiter(4, 0);
        assertThat(l.capacity()).isEqualTo(4 * S);
        assertThat(l.fill()).isZero();
        assertThat(l.limiting()).isFalse();
        assertThat(l.lastEnabledCycle()).isZero();
        assertThat(l.overflow()).isZero();
        assertThatThrownBy(() -> new CpuLimiter(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }

    @Test
    void backgroundMarkingAloneDrainsTheBucket() {
        CpuLimiter l = marking();
        // 1 s on 4 Ps: GC = 0.25 × 4 s = 1 s, mutator = 3 s: change −2 s, and the bucket cannot go below 0.
        l.update(S);
        assertThat(l.fill()).isZero();
        assertThat(l.limiting()).isFalse();
    }

    @Test
    void assistsFillTheBucketUntilTheLimiterTurnsOn() {
        CpuLimiter l = marking();
        l.setCompletedCycles(6);
        // Each second: window 4 s, GC = 2 s of assists + 1 s background = 3 s, mutator 1 s: fill += 2 s.
        l.addAssistTime(2 * S);
        l.update(S);
        assertThat(l.fill()).isEqualTo(2 * S);
        assertThat(l.limiting()).isFalse();
        l.addAssistTime(2 * S);
        l.update(2 * S);
        // Exactly full: on, nothing overflowed; cycle 7 is the one under way.
        assertThat(l.fill()).isEqualTo(4 * S);
        assertThat(l.limiting()).isTrue();
        assertThat(l.overflow()).isZero();
        assertThat(l.lastEnabledCycle()).isEqualTo(7);
        l.addAssistTime(2 * S);
        l.update(3 * S);
        assertThat(l.overflow()).isEqualTo(2 * S);
        // Assists stop while limiting: GC 1 s, mutator 3 s: fill −2 s, and the limiter turns off.
        l.update(4 * S);
        assertThat(l.fill()).isEqualTo(2 * S);
        assertThat(l.limiting()).isFalse();
        assertThat(l.lastEnabledCycle()).isEqualTo(7);
    }

    @Test
    void idleTimeIsNeitherGcNorMutator() {
        CpuLimiter l = marking();
        // Window 4 s of which 3 s idle; GC = 0.25 × 4 s = 1 s (the background share counts the whole window);
        // mutator = 4 − 3 − 1 = 0: fill += 1 s.
        l.addIdleTime(3 * S);
        l.update(S);
        assertThat(l.fill()).isEqualTo(S);
    }

    @Test
    void stopTheWorldCountsAsGcOnEveryP() {
        CpuLimiter l = new CpuLimiter(4, 0);
        l.startGCTransition(true, 10 * MS);
        assertThat(l.fill()).isZero(); // 10 ms of mutator time drained an empty bucket
        l.finishGCTransition(11 * MS);
        // 1 ms × 4 Ps of pause.
        assertThat(l.fill()).isEqualTo(4 * MS);
        assertThat(l.lastUpdate()).isEqualTo(11 * MS);
    }

    @Test
    void transitionsMustAlternate() {
        CpuLimiter l = new CpuLimiter(2, 0);
        assertThatThrownBy(() -> l.startGCTransition(false, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> l.finishGCTransition(0)).isInstanceOf(IllegalStateException.class);
        l.startGCTransition(true, 0);
        assertThatThrownBy(() -> l.startGCTransition(false, 0)).isInstanceOf(IllegalStateException.class);
        // Updates during a transition are dropped; the transition accounts for that time itself.
        l.update(5 * MS);
        assertThat(l.lastUpdate()).isZero();
        assertThatThrownBy(() -> l.resetCapacity(5 * MS, 4)).isInstanceOf(IllegalStateException.class);
        l.finishGCTransition(5 * MS);
        assertThat(l.fill()).isEqualTo(10 * MS);
        l.startGCTransition(false, 5 * MS);
        l.finishGCTransition(5 * MS);
    }

    @Test
    void needsAnUpdateAfter10ms() {
        CpuLimiter l = new CpuLimiter(1, 100);
        assertThat(l.needUpdate(100 + 10 * MS)).isFalse();
        assertThat(l.needUpdate(101 + 10 * MS)).isTrue();
    }

    @Test
    void resetCapacityCutsAFullerBucket() {
        CpuLimiter l = marking();
        l.addAssistTime(5 * S / 2);
        l.update(S); // GC 3.5 s, mutator 0.5 s: fill 3 s of 4
        assertThat(l.fill()).isEqualTo(3 * S);
        l.startGCTransition(false, S);
        l.finishGCTransition(S);
        l.setCompletedCycles(2);
        l.resetCapacity(S, 2);
        assertThat(l.capacity()).isEqualTo(2 * S);
        assertThat(l.fill()).isEqualTo(2 * S);
        assertThat(l.limiting()).isTrue();
        assertThat(l.lastEnabledCycle()).isEqualTo(3);
        l.resetCapacity(S, 8);
        assertThat(l.limiting()).isFalse();
    }

    @Test
    void sustainedGcAbove50PercentTurnsItOnAfterCapacityOverExcess() {
        // GC at 60 % of 4 Ps, updated every 10 ms: fill += (0.6 − 0.4) × 4 = 0.8 CPU-s per second, so the 4 s
        // bucket is full after 5 s and not before.
        CpuLimiter l = marking();
        long now = 0;
        List<Long> onAt = new ArrayList<>();
        while (now < 6 * S) {
            now += 10 * MS;
            l.addAssistTime(14 * MS); // 40 ms of CPU per step: 10 ms background + 14 ms assist = 60 %
            l.update(now);
            if (l.limiting()) {
                onAt.add(now);
            }
        }
        assertThat(onAt).isNotEmpty();
        assertThat(onAt.getFirst()).isEqualTo(5 * S);
    }

    @Test
    void assistTimeFromManyThreadsIsAllCounted() throws InterruptedException {
        CpuLimiter l = marking();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    l.addAssistTime(50_000);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        // 4 × 10 000 × 50 µs = 2 s of assists in a 1 s × 4 P window: GC 2 + 1 = 3 s, mutator 1 s: fill 2 s.
        l.update(S);
        assertThat(l.fill()).isEqualTo(2 * S);
    }
}

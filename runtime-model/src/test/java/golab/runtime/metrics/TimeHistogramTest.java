package golab.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TimeHistogramTest {

    @Test
    void keepsEveryValueWithinAThousandthAndClampsTheEnds() {
        TimeHistogram h = new TimeHistogram();
        h.record(-5);
        h.record(0);
        h.record(1_234_567);
        h.record(Long.MAX_VALUE);
        Histogram s = h.snapshot();
        assertThat(s.getTotalCount()).isEqualTo(4);
        assertThat(s.getCountAtValue(0)).isEqualTo(2);
        assertThat((double) s.getValueAtPercentile(60)).isCloseTo(1_234_567, within(1_234.567));
        assertThat(s.getMaxValue()).isEqualTo(s.highestEquivalentValue(TimeHistogram.HIGHEST_NANOS));
        assertThat(h.toFloat64Histogram().total()).isEqualTo(4);
    }

    @Test
    void snapshotsAccumulateWhileThreadsRecord() throws InterruptedException {
        TimeHistogram h = new TimeHistogram();
        int threads = 4;
        int perThread = 100_000;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = 1L << (10 + 8 * t); // every thread reaches a range the others have not
            ts.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    h.record(base + i);
                }
            }));
        }
        long seen = 0;
        while (ts.stream().anyMatch(Thread::isAlive)) {
            long n = h.snapshot().getTotalCount();
            assertThat(n).isGreaterThanOrEqualTo(seen);
            seen = n;
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(h.snapshot().getTotalCount()).isEqualTo((long) threads * perThread);
    }
}

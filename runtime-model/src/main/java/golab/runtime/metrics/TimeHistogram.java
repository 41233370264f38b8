package golab.runtime.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.Recorder;

/**
 * A cumulative histogram of durations in nanoseconds, recorded wait-free from any thread: the store behind
 * Go's time histograms ({@code /sched/latencies:seconds}, {@code /gc/pauses:seconds}).
 *
 * <p>Values are kept in an HdrHistogram with 3 significant digits, finer than Go's buckets, and can be read
 * both as an HdrHistogram and in Go 1.21+'s exported bucket layout ({@link #toFloat64Histogram()}), so the
 * same script can read golab's and Go's output.
 *
 * <p>The recorder's histograms have a fixed range, 1 ns to {@value #HIGHEST_NANOS} ns (about 73 minutes;
 * longer durations count at the top, as Go's overflow bucket): recording is then a few atomic increments
 * and never waits. An auto-resizing recorder grows its arrays when a value exceeds their range, under a
 * lock that a concurrent reader may hold, and waits for the writers in flight; the collector records the
 * stopping time of a pause with the world stopped, where timestamps showed such a record taking 1–2.4 ms.
 */
public final class TimeHistogram {

    private static final int SIGNIFICANT_DIGITS = 3;
    static final long HIGHEST_NANOS = 1L << 42;

    private final Recorder recorder = new Recorder(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    private final Histogram cumulative = new Histogram(SIGNIFICANT_DIGITS);
    private Histogram interval;

    /**
     * Records one duration; negative durations count as zero (Go counts them in an underflow bucket), longer
     * than {@value #HIGHEST_NANOS} ns as that.
     */
    public void record(long nanos) {
        recorder.recordValue(Math.clamp(nanos, 0, HIGHEST_NANOS));
    }

    /** Everything recorded so far, as a fresh HdrHistogram. */
    public synchronized Histogram snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        cumulative.add(interval);
        return cumulative.copy();
    }

    /** Everything recorded so far in Go 1.21+'s bucket layout (runtime/metrics Float64Histogram). */
    public Float64Histogram toFloat64Histogram() {
        Histogram h = snapshot();
        long[] counts = new long[Float64Histogram.GO_TIME_BUCKETS.length - 1];
        for (HistogramIterationValue v : h.recordedValues()) {
            long value = h.lowestEquivalentValue(v.getValueIteratedTo());
            counts[Float64Histogram.goTimeBucketIndex(value)] += v.getCountAtValueIteratedTo();
        }
        return new Float64Histogram(counts, Float64Histogram.GO_TIME_BUCKETS);
    }
}

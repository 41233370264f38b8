package golab.runtime.metrics;

import java.util.Arrays;

/**
 * A histogram in runtime/metrics' exported form: {@code counts[i]} values fell in
 * {@code [buckets[i], buckets[i+1])}, bucket bounds in seconds.
 *
 * <p>{@link #GO_TIME_BUCKETS} is Go 1.21+'s layout for time histograms (runtime/histogram.go): −∞, 0, then
 * four sub-buckets per power of two from 64 ns up to 2⁴⁷ ns, then +∞ — 163 bounds, 162 counts (an
 * underflow count, 160 buckets, an overflow count).
 */
public record Float64Histogram(long[] counts, double[] buckets) {

    private static final int MIN_BUCKET_BITS = 9;
    private static final int MAX_BUCKET_BITS = 48;
    private static final int SUB_BUCKET_BITS = 2;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int NUM_BUCKETS = MAX_BUCKET_BITS - MIN_BUCKET_BITS + 1;

    /** Go's bucket bounds for time histograms, in seconds. */
    static final double[] GO_TIME_BUCKETS = goTimeBuckets();

    public Float64Histogram {
        if (counts.length != buckets.length - 1) {
            throw new IllegalArgumentException("need one count per bucket: " + counts.length + " counts, "
                    + buckets.length + " bounds");
        }
    }

    /** Total number of values. */
    public long total() {
        return Arrays.stream(counts).sum();
    }

    /** Index into {@code counts} for a duration of {@code nanos} (timeHistogram.record's arithmetic). */
    static int goTimeBucketIndex(long nanos) {
        if (nanos < 0) {
            return 0;
        }
        int bits = 64 - Long.numberOfLeadingZeros(nanos);
        int bucket;
        int sub;
        if (bits < MIN_BUCKET_BITS) {
            bucket = 0;
            sub = (int) ((nanos >> (MIN_BUCKET_BITS - 1 - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1));
        } else {
            bucket = bits - MIN_BUCKET_BITS + 1;
            if (bucket >= NUM_BUCKETS) {
                return 1 + NUM_BUCKETS * SUB_BUCKETS; // overflow
            }
            sub = (int) ((nanos >> (bits - 1 - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1));
        }
        return 1 + bucket * SUB_BUCKETS + sub;
    }

    private static double[] goTimeBuckets() {
        double[] b = new double[NUM_BUCKETS * SUB_BUCKETS + 3];
        int i = 0;
        b[i++] = Double.NEGATIVE_INFINITY;
        for (int bucket = 0; bucket < NUM_BUCKETS; bucket++) {
            for (int sub = 0; sub < SUB_BUCKETS; sub++) {
                long lowNanos;
                if (bucket == 0) {
                    lowNanos = (long) sub << (MIN_BUCKET_BITS - 1 - SUB_BUCKET_BITS);
                } else {
                    int bits = bucket + MIN_BUCKET_BITS - 1;
                    lowNanos = (1L << (bits - 1)) + ((long) sub << (bits - 1 - SUB_BUCKET_BITS));
                }
                b[i++] = lowNanos / 1e9;
            }
        }
        b[i++] = (1L << (NUM_BUCKETS + MIN_BUCKET_BITS - 2)) / 1e9;
        b[i] = Double.POSITIVE_INFINITY;
        return b;
    }
}

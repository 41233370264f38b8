package golab.workloads.record;

import golab.runtime.sched.P;
import golab.runtime.sched.Park;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Where a workload records values (nanoseconds) for one {@code .hlog} stream, cheaply from any goroutine.
 *
 * <p>A goroutine records into a {@link SingleWriterRecorder} of the P it runs on, as Go keeps per-P caches: a
 * P runs one goroutine at a time and a goroutine cannot be moved off its P inside this call (it makes no
 * runtime call, so it holds no safepoint), so each per-P recorder has a single writer and no count is ever
 * contended. Any other thread (a platform or virtual thread, the hiccup probe's thread) records into one shared
 * histogram under a lock. {@link #intervalHistogram} sums them.
 *
 * <p>Why not HdrHistogram's {@link Recorder} for the shared part: measured by {@code RecordingOverheadBench}, one
 * shared {@code Recorder} costs two writers several hundred nanoseconds per value, as its counters' cache lines
 * move between cores; and the auto-resizing concurrent histogram it swaps out was seen once (the JVM request
 * server, thousands of virtual threads recording) to encode an interval that could not be decoded. A plain
 * histogram under a lock is simple and fast enough for the threads that are not goroutines.
 */
public final class IntervalRecorder {

    private static final int SIGNIFICANT_DIGITS = 3;
    /** Enough slots for every P a run can have (GOMAXPROCS is at most 1024). */
    private static final int MAX_PS = 1024;

    private final AtomicReferenceArray<SingleWriterRecorder> perP = new AtomicReferenceArray<>(MAX_PS);
    /** What threads other than goroutines recorded since the last interval; guarded by itself. */
    private final Histogram shared = new Histogram(SIGNIFICANT_DIGITS);
    private long sharedSinceMillis = System.currentTimeMillis();
    private final Histogram[] recycled = new Histogram[MAX_PS];

    /** Records {@code value}. */
    public void recordValue(long value) {
        P p = Park.currentPOrNull();
        if (p == null) {
            synchronized (shared) {
                shared.recordValue(value);
            }
        } else {
            recorderOf(p).recordValue(value);
        }
    }

    /**
     * Records {@code value} and, for a value larger than {@code expectedInterval}, the samples a regular sampler
     * would have taken while it waited (HdrHistogram's coordinated-omission correction, as jHiccup applies it).
     */
    public void recordValueWithExpectedInterval(long value, long expectedInterval) {
        P p = Park.currentPOrNull();
        if (p == null) {
            synchronized (shared) {
                shared.recordValueWithExpectedInterval(value, expectedInterval);
            }
        } else {
            recorderOf(p).recordValueWithExpectedInterval(value, expectedInterval);
        }
    }

    private SingleWriterRecorder recorderOf(P p) {
        SingleWriterRecorder r = perP.get(p.id());
        if (r == null) {
            perP.compareAndSet(p.id(), null, new SingleWriterRecorder(SIGNIFICANT_DIGITS));
            r = perP.get(p.id());
        }
        return r;
    }

    /**
     * Everything recorded since the previous call (or since creation): one histogram summed over the shared and
     * the per-P recorders, stamped with the interval's start and end. One reader at a time.
     */
    public synchronized Histogram intervalHistogram() {
        Histogram sum;
        long now = System.currentTimeMillis();
        synchronized (shared) {
            sum = shared.copy();
            shared.reset();
        }
        sum.setStartTimeStamp(sharedSinceMillis);
        sum.setEndTimeStamp(now);
        sharedSinceMillis = now;
        for (int i = 0; i < MAX_PS; i++) {
            SingleWriterRecorder r = perP.get(i);
            if (r != null) {
                Histogram interval = r.getIntervalHistogram(recycled[i]);
                recycled[i] = interval;
                sum.add(interval);
                sum.setStartTimeStamp(Math.min(sum.getStartTimeStamp(), interval.getStartTimeStamp()));
                sum.setEndTimeStamp(Math.max(sum.getEndTimeStamp(), interval.getEndTimeStamp()));
            }
        }
        return sum;
    }
}

package golab.workloads.jvm;

import java.time.Instant;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.HdrHistogram.Histogram;

/**
 * The JVM's own stop-the-world GC pauses, from JFR's {@code jdk.GCPhasePause} events streamed in-process: one
 * value per pause, its duration in nanoseconds as the collector timed it (the work inside the safepoint; the time
 * threads took to reach the safepoint is not in it, while golab's pauses count theirs).
 *
 * <p>What counts as a pause, by experiment on JDK 25: for G1 every young, mixed and full collection ({@code GC
 * Pause}) and the concurrent cycle's {@code Pause Remark} and {@code Pause Cleanup}; for generational ZGC its
 * three pauses per young or major cycle ({@code Pause Mark Start}, {@code Pause Mark Start (Major)},
 * {@code Pause Mark End}, {@code Pause Relocate Start}). Phases nested in a pause ({@code jdk.GCPhasePauseLevel1}
 * and deeper) are not counted again.
 *
 * <p>A stream delivers its events about once a second, so an interval could not be closed exactly on a running
 * stream. Each {@link #snapshot} therefore starts a fresh stream, cuts the current one at that instant and stops
 * it, which returns once it has delivered every event it recorded: a pause that began before the cut is counted
 * by the old stream, one that began after by the new, none twice and none lost.
 */
final class JfrPauses implements AutoCloseable {

    static final String EVENT = "jdk.GCPhasePause";

    /** Every pause so far; the streams' threads record into it, {@link #snapshot} copies it. */
    private final Histogram pauses = new Histogram(3);
    private Segment current = new Segment(Instant.MIN);

    /** Every pause that began before now, cumulative: the {@code gc-pauses} stream's source. */
    synchronized Histogram snapshot() {
        Instant cut = Instant.now();
        Segment next = new Segment(cut);
        current.stopAt(cut);
        current = next;
        synchronized (pauses) {
            return pauses.copy();
        }
    }

    @Override
    public synchronized void close() {
        current.stopAt(Instant.MAX);
    }

    /** One stream, counting the pauses that began in {@code [from, until)}. */
    private final class Segment {
        private final Instant from;
        private final RecordingStream stream = new RecordingStream();
        private volatile Instant until = Instant.MAX;

        Segment(Instant from) {
            this.from = from;
            stream.enable(EVENT).withoutThreshold();
            stream.onEvent(EVENT, this::record);
            stream.startAsync();
        }

        private void record(RecordedEvent pause) {
            Instant start = pause.getStartTime();
            if (!start.isBefore(from) && start.isBefore(until)) {
                synchronized (pauses) {
                    pauses.recordValue(pause.getDuration().toNanos());
                }
            }
        }

        void stopAt(Instant cut) {
            until = cut;
            stream.stop();
            stream.close();
        }
    }
}

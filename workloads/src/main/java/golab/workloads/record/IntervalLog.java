package golab.workloads.record;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * One {@code .hlog} file: HdrHistogram's interval log (format 1.3), values in nanoseconds, one interval per JMH
 * iteration with the iteration's tag. The whole log is kept in memory (a few kilobytes per interval) and the file
 * rewritten atomically after each interval, so the file on disk is always a complete, parseable log.
 *
 * <p>An interval comes from one of two sources: an {@link IntervalRecorder} the workload records into, or a
 * cumulative histogram the runtime keeps (such as {@code /gc/pauses}), of which the interval is the difference
 * between two snapshots.
 */
final class IntervalLog {

    private final Path file;
    private final Source source;
    private final ByteArrayOutputStream content = new ByteArrayOutputStream();
    private final HistogramLogWriter writer;

    private IntervalLog(Path file, Source source, long baseTimeMillis) {
        this.file = file;
        this.source = source;
        writer = new HistogramLogWriter(new PrintStream(content, true, StandardCharsets.UTF_8));
        writer.outputLogFormatVersion();
        writer.outputStartTime(baseTimeMillis);
        writer.setBaseTime(baseTimeMillis);
        writer.outputLegend();
    }

    /** A log of what is recorded into {@code recorder}. */
    static IntervalLog ofRecorder(Path file, IntervalRecorder recorder, long baseTimeMillis) {
        return new IntervalLog(file, new RecorderSource(recorder), baseTimeMillis);
    }

    /** A log of the growth, interval by interval, of the cumulative histogram that {@code snapshot} returns. */
    static IntervalLog ofCumulative(Path file, Supplier<Histogram> snapshot, long baseTimeMillis) {
        return new IntervalLog(file, new CumulativeSource(snapshot), baseTimeMillis);
    }

    /**
     * Whether the workload records into this log's stream. Those intervals are taken first, all at once, when an
     * iteration ends; then the runtime's cumulative histograms, of which one (the JVM's pauses, from JFR) takes
     * a while to read and must not stretch the others' intervals.
     */
    boolean recorded() {
        return source instanceof RecorderSource;
    }

    /** Takes the interval that ends now. */
    Histogram takeInterval(long startMillis, long endMillis) {
        return source.next(startMillis, endMillis);
    }

    /** Appends {@code interval} with {@code tag} and rewrites the file. */
    void append(Histogram interval, String tag) throws IOException {
        interval.setTag(tag);
        writer.outputIntervalHistogram(interval);
        AtomicFiles.write(file, content.toString(StandardCharsets.UTF_8));
    }

    /** Discards what was recorded so far (before the first iteration: set-up, building a heap). */
    void skip() {
        source.next(0, 0);
    }

    private sealed interface Source {
        Histogram next(long startMillis, long endMillis);
    }

    private static final class RecorderSource implements Source {
        private final IntervalRecorder recorder;

        RecorderSource(IntervalRecorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public Histogram next(long startMillis, long endMillis) {
            return recorder.intervalHistogram();
        }
    }

    private static final class CumulativeSource implements Source {
        private final Supplier<Histogram> snapshot;
        private Histogram previous;

        CumulativeSource(Supplier<Histogram> snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        public Histogram next(long startMillis, long endMillis) {
            Histogram current = snapshot.get();
            Histogram interval = current.copy();
            if (previous != null) {
                interval.subtract(previous);
            }
            previous = current;
            interval.setStartTimeStamp(startMillis);
            interval.setEndTimeStamp(endMillis);
            return interval;
        }
    }
}

package golab.workloads.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Everything one trial (one fork of one parameter set) records, written into its {@link TrialFolder} at the end of
 * every JMH iteration: an interval of each {@code .hlog} stream tagged warmup or measurement, the runtime's stderr
 * (gctrace), a runtime/metrics snapshot with the JVM's GC activity during the iteration, and {@code trial.json}.
 *
 * <p>Nothing is recorded between iterations: what streams gathered before an iteration began (set-up, JMH's own
 * work between iterations) is discarded when it begins. Every file is rewritten atomically, so a fork killed at
 * any moment leaves the iterations it finished, readable, and a {@code trial.json} that says {@code incomplete}.
 *
 * <p>Threads: {@link IntervalRecorder}s are recorded into from any thread; everything else is called by JMH's
 * iteration and trial fixtures, on one thread.
 */
public final class TrialRecording implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final TrialFolder folder;
    private final String benchmark;
    private final Map<String, String> params;
    private final String startedAt;
    private final long baseTimeMillis = System.currentTimeMillis();
    private final Map<String, IntervalLog> logs = new LinkedHashMap<>();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final PrintStream stderrStream = new PrintStream(stderr, true, StandardCharsets.UTF_8);
    private final List<TrialManifest.Iteration> iterations = new ArrayList<>();
    private final List<Map<String, Object>> metrics = new ArrayList<>();
    private Supplier<Map<String, Object>> runtimeMetrics = Map::of;
    private Map<String, long[]> jvmGcAtStart;
    private long iterationStartMillis;

    private TrialRecording(TrialFolder folder, String benchmark, Map<String, String> params) throws IOException {
        this.folder = folder;
        this.benchmark = benchmark;
        this.params = Map.copyOf(params);
        this.startedAt = Instant.ofEpochMilli(baseTimeMillis).toString();
        writeManifest(TrialManifest.INCOMPLETE, null);
    }

    /** Opens the recording of a trial of {@code benchmark} with {@code params} under {@code trialsRoot}. */
    public static TrialRecording open(Path trialsRoot, String benchmark, Map<String, String> params) {
        try {
            return new TrialRecording(TrialFolder.create(trialsRoot, benchmark, params), benchmark, params);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the trial folder under " + trialsRoot, e);
        }
    }

    public TrialFolder folder() {
        return folder;
    }

    /** A new stream {@code <name>.hlog} fed by the returned recorder (values in nanoseconds). */
    public IntervalRecorder recorder(String name) {
        IntervalRecorder recorder = new IntervalRecorder();
        addLog(name, IntervalLog.ofRecorder(folder.hlog(name), recorder, baseTimeMillis));
        return recorder;
    }

    /** A new stream {@code <name>.hlog} of the growth of a cumulative histogram, such as the runtime's pauses. */
    public void cumulative(String name, Supplier<Histogram> snapshot) {
        addLog(name, IntervalLog.ofCumulative(folder.hlog(name), snapshot, baseTimeMillis));
    }

    private void addLog(String name, IntervalLog log) {
        if (logs.putIfAbsent(name, log) != null) {
            throw new IllegalArgumentException("stream " + name + " is already recorded in " + folder.path());
        }
    }

    /** Where the runtime's stderr (gctrace lines) should go: {@code GoConfig.withStderr(recording.stderr())}. */
    public PrintStream stderr() {
        return stderrStream;
    }

    /** The runtime/metrics snapshot taken at the end of each iteration: metric name to value. */
    public void runtimeMetrics(Supplier<Map<String, Object>> snapshot) {
        this.runtimeMetrics = snapshot;
    }

    /** Starts an iteration: what the streams hold is set-up noise and is dropped. */
    public void beginIteration() {
        // The recorded streams last, so that the intervals they start are not stretched by a slow cumulative one.
        for (boolean recorded : new boolean[] {false, true}) {
            for (IntervalLog log : logs.values()) {
                if (log.recorded() == recorded) {
                    log.skip();
                }
            }
        }
        jvmGcAtStart = jvmGc();
        iterationStartMillis = System.currentTimeMillis();
    }

    /** Ends an iteration: writes one interval per stream, the metrics, the gctrace so far and the manifest. */
    public void endIteration(boolean warmup) {
        String tag = warmup ? TrialFolder.WARMUP : TrialFolder.MEASUREMENT;
        long end = System.currentTimeMillis();
        int index = iterations.size() + 1;
        try {
            Map<IntervalLog, Histogram> intervals = new LinkedHashMap<>();
            for (boolean recorded : new boolean[] {true, false}) {
                for (IntervalLog log : logs.values()) {
                    if (log.recorded() == recorded) {
                        intervals.put(log, log.takeInterval(iterationStartMillis, end));
                    }
                }
            }
            for (Map.Entry<IntervalLog, Histogram> interval : intervals.entrySet()) {
                interval.getKey().append(interval.getValue(), tag);
            }
            Map<String, Object> snapshot = new LinkedHashMap<>();
            snapshot.put("iteration", index);
            snapshot.put("type", tag);
            snapshot.put("runtime", runtimeMetrics.get());
            snapshot.put("jvm_gc", jvmGcSince(jvmGcAtStart));
            metrics.add(snapshot);
            AtomicFiles.write(folder.metrics(), JSON.writeValueAsString(Map.of("iterations", metrics)) + "\n");
            AtomicFiles.write(folder.gctrace(), stderr.toString(StandardCharsets.UTF_8));
            iterations.add(new TrialManifest.Iteration(index, tag, iterationStartMillis, end));
            writeManifest(TrialManifest.INCOMPLETE, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the recordings of " + folder.path(), e);
        }
    }

    /** Marks the trial complete. */
    @Override
    public void close() {
        try {
            AtomicFiles.write(folder.gctrace(), stderr.toString(StandardCharsets.UTF_8));
            writeManifest(TrialManifest.COMPLETE, Instant.now().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot complete " + folder.trial(), e);
        }
    }

    private void writeManifest(String status, String endedAt) throws IOException {
        TrialManifest manifest = new TrialManifest(benchmark, params, ProcessHandle.current().pid(), status,
                List.copyOf(logs.keySet()), iterations, startedAt, endedAt);
        try {
            AtomicFiles.write(folder.trial(), JSON.writeValueAsString(manifest) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + folder.trial(), e);
        }
    }

    /** The JVM's own collections so far, per collector bean: {count, milliseconds}. */
    private static Map<String, long[]> jvmGc() {
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            counts.put(bean.getName(), new long[] {Math.max(0, bean.getCollectionCount()),
                    Math.max(0, bean.getCollectionTime())});
        }
        return counts;
    }

    /**
     * The JVM's collections during the iteration, per bean (for ZGC the "Pauses" beans count stop-the-world
     * time and the "Cycles" beans concurrent time), so that a JVM pause is never taken for a golab one.
     */
    private static Map<String, Object> jvmGcSince(Map<String, long[]> start) {
        Map<String, Object> since = new LinkedHashMap<>();
        jvmGc().forEach((name, now) -> {
            long[] before = start.getOrDefault(name, new long[2]);
            since.put(name, Map.of("collections", now[0] - before[0], "time_ms", now[1] - before[1]));
        });
        return since;
    }
}

package golab.workloads;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.metrics.Float64Histogram;
import golab.runtime.metrics.MetricValue;
import golab.runtime.metrics.RuntimeMetrics;
import golab.runtime.sched.Park;
import golab.runtime.sched.Sched;
import golab.workloads.record.HiccupProbe;
import golab.workloads.record.IntervalRecorder;
import golab.workloads.record.TrialFolder;
import golab.workloads.record.TrialRecording;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What every lab workload shares: the runtime's knobs as JMH parameters, one golab run per trial, and the
 * recording of that trial (see {@link TrialRecording}).
 *
 * <p>Parameters: {@code gomaxprocs}, {@code gogc} ({@code off} or a percent) and {@code gomemlimit} ({@code off}
 * or bytes with Go's suffixes, {@code 512MiB}), with Go's syntax and validation ({@link WorkloadParameters}). A workload
 * with a live heap adds {@code liveHeap} (same syntax as a memory limit); each adds its own.
 *
 * <p>Recorded in every trial, per iteration: {@code gc-pauses.hlog} (every stop-the-world pause, from the stop
 * request to the restart), {@code sched-latencies.hlog} (runnable-to-running time, Go's 1-in-8 sample),
 * {@code hiccup-goroutine.hlog} and {@code hiccup-thread.hlog} ({@link HiccupProbe}), the gctrace lines, and a
 * runtime/metrics snapshot with the JVM's own GC activity; a workload with requests adds {@code latency.hlog}
 * ({@link #latencyRecorder}).
 *
 * <p>A subclass builds its state in {@link #setUpTrial} (on the run's main goroutine when it calls
 * {@code golab.call}), may size the run in {@link #configure}, and releases what it holds in
 * {@link #tearDownTrial}. The fixtures here are final: JMH leaves the order of several fixtures of one level
 * undefined, so there is one of each and it calls the hooks in a fixed order.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED"})
public abstract class Workload {

    /** Stream names, the {@code .hlog} files of every trial. */
    public static final String GC_PAUSES = "gc-pauses";
    public static final String SCHED_LATENCIES = "sched-latencies";
    public static final String HICCUP_GOROUTINE = "hiccup-goroutine";
    public static final String HICCUP_THREAD = "hiccup-thread";
    public static final String LATENCY = "latency";

    @Param({"1", "2"})
    public int gomaxprocs;

    @Param({"100"})
    public String gogc;

    @Param({"off"})
    public String gomemlimit;

    /** The trial's golab run; {@code golab.call(body)} runs {@code body} on its main goroutine. */
    protected GolabServer golab;
    protected TrialRecording recording;
    private HiccupProbe probe;

    @Setup(Level.Trial)
    public final void startTrial(BenchmarkParams benchmark) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : benchmark.getParamsKeys()) {
            params.put(key, benchmark.getParam(key));
        }
        recording = TrialRecording.open(TrialFolder.trialsRoot(), benchmark.getBenchmark(), params);
        GoConfig config = configure(GoConfig.defaults().withGomaxprocs(gomaxprocs).withGogc(gogc)
                .withGomemlimit(gomemlimit).withGodebug("gctrace=1").withStderr(recording.stderr()));
        golab = new GolabServer(config);
        Sched[] sched = new Sched[1];
        golab.call(() -> sched[0] = Park.sched());
        recording.cumulative(GC_PAUSES, () -> sched[0].gc.pauses().snapshot());
        recording.cumulative(SCHED_LATENCIES, sched[0].timeToRun::snapshot);
        RuntimeMetrics metrics = sched[0].metrics();
        recording.runtimeMetrics(() -> snapshot(metrics));
        probe = new HiccupProbe(recording.recorder(HICCUP_GOROUTINE), recording.recorder(HICCUP_THREAD));
        golab.call(() -> Go.go(probe::runGoroutine));
        setUpTrial();
    }

    @Setup(Level.Iteration)
    public final void startIteration() {
        recording.beginIteration();
    }

    @TearDown(Level.Iteration)
    public final void endIteration(IterationParams iteration) {
        recording.endIteration(iteration.getType() == IterationType.WARMUP);
    }

    @TearDown(Level.Trial)
    public final void endTrial() throws Exception {
        try {
            tearDownTrial();
            probe.stop();
            golab.close();
        } finally {
            recording.close();
        }
    }

    /** Adjusts the run's configuration (a heap reservation for a large live heap, say). */
    protected GoConfig configure(GoConfig config) {
        return config;
    }

    /** Builds the workload's state; runs after the golab run and the recording started. */
    protected void setUpTrial() throws Exception {
    }

    /** Releases the workload's state; runs before the golab run ends. */
    protected void tearDownTrial() throws Exception {
    }

    /** The {@code latency.hlog} stream, for workloads that serve requests: record nanoseconds from intended start. */
    protected final IntervalRecorder latencyRecorder() {
        return recording.recorder(LATENCY);
    }

    /** Bytes in Go's syntax ({@code 64MiB}), for a workload's own size parameters: see {@link WorkloadParameters}. */
    protected static long bytes(String parameter, String value) {
        return WorkloadParameters.bytes(parameter, value);
    }

    /** Every runtime metric, histograms as their total count and non-empty buckets (bounds in seconds). */
    private static Map<String, Object> snapshot(RuntimeMetrics metrics) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RuntimeMetrics.Sample sample : metrics.readAll()) {
            values.put(sample.name(), switch (sample.value()) {
                case MetricValue.Uint64 u -> u.value();
                case MetricValue.Float64 f -> f.value();
                case MetricValue.Histogram h -> buckets(h.histogram());
            });
        }
        return values;
    }

    private static Map<String, Object> buckets(Float64Histogram h) {
        List<List<Object>> nonEmpty = new ArrayList<>();
        for (int i = 0; i < h.counts().length; i++) {
            if (h.counts()[i] != 0) {
                nonEmpty.add(List.of(bound(h.buckets()[i]), bound(h.buckets()[i + 1]), h.counts()[i]));
            }
        }
        return Map.of("count", h.total(), "buckets", nonEmpty);
    }

    /** JSON has no infinities: Go's open-ended first and last bounds are written as strings. */
    private static Object bound(double seconds) {
        return Double.isInfinite(seconds) ? (seconds > 0 ? "+Inf" : "-Inf") : seconds;
    }
}

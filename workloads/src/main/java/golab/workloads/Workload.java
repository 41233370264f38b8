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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;

/**
 * What every golab workload shares: the runtime's knobs as JMH parameters and one golab run per trial, recorded
 * as every {@link RecordedWorkload} is.
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
 * {@link #tearDownTrial}.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED"})
public abstract class Workload extends RecordedWorkload {

    /** Stream names of golab's own scheduler, beside {@link RecordedWorkload}'s. */
    public static final String SCHED_LATENCIES = "sched-latencies";
    public static final String HICCUP_GOROUTINE = "hiccup-goroutine";

    @Param({"100"})
    public String gogc;

    @Param({"off"})
    public String gomemlimit;

    /** The trial's golab run; {@code golab.call(body)} runs {@code body} on its main goroutine. */
    protected GolabServer golab;

    @Override
    protected final void startRuntime(HiccupProbe probe) {
        GoConfig config = configure(GoConfig.defaults().withGomaxprocs(gomaxprocs).withGogc(gogc)
                .withGomemlimit(gomemlimit).withGodebug("gctrace=1").withStderr(recording.stderr()));
        golab = new GolabServer(config);
        Sched[] sched = new Sched[1];
        golab.call(() -> sched[0] = Park.sched());
        recording.cumulative(GC_PAUSES, () -> sched[0].gc.pauses().snapshot());
        recording.cumulative(SCHED_LATENCIES, sched[0].timeToRun::snapshot);
        RuntimeMetrics metrics = sched[0].metrics();
        recording.runtimeMetrics(() -> snapshot(metrics));
        IntervalRecorder goroutineLateness = recording.recorder(HICCUP_GOROUTINE);
        golab.call(() -> Go.go(() -> probe.runGoroutine(goroutineLateness)));
    }

    @Override
    protected final void stopRuntime() {
        golab.close();
    }

    /** Adjusts the run's configuration (a heap reservation for a large live heap, say). */
    protected GoConfig configure(GoConfig config) {
        return config;
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

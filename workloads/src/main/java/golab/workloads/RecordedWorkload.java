package golab.workloads;

import golab.workloads.record.HiccupProbe;
import golab.workloads.record.IntervalRecorder;
import golab.workloads.record.TrialFolder;
import golab.workloads.record.TrialRecording;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * What every recorded workload shares, whether golab runs it ({@link Workload}) or the JVM alone
 * ({@code golab.workloads.jvm.JvmWorkload}): one {@link TrialRecording} per trial with an interval per JMH
 * iteration, the platform-thread hiccup probe, and {@code gomaxprocs}.
 *
 * <p>A subclass starts what runs the workload in {@link #startRuntime} (registering its own streams and adding its
 * scheduler's sleeper to the probe), builds its state in {@link #setUpTrial}, and releases both in
 * {@link #tearDownTrial} and {@link #stopRuntime}. The fixtures here are final: JMH leaves the order of several
 * fixtures of one level undefined, so there is one of each and it calls the hooks in a fixed order.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public abstract class RecordedWorkload {

    /** Stream names shared by every kind of workload, the {@code .hlog} files of a trial. */
    public static final String GC_PAUSES = "gc-pauses";
    public static final String HICCUP_THREAD = "hiccup-thread";
    public static final String LATENCY = "latency";
    /** The same requests timed from when each was issued: what a closed-loop client would measure. */
    public static final String LATENCY_FROM_ISSUE = LATENCY + "-from-issue";
    /**
     * The system property holding the run's random seed ({@code golab bench --seed}, recorded in the run's
     * manifest); 1 when absent.
     */
    public static final String SEED_PROPERTY = "golab.seed";

    /** Processors running the workload's code: golab's GOMAXPROCS, or the virtual-thread scheduler's parallelism. */
    @Param({"1", "2"})
    public int gomaxprocs;

    protected TrialRecording recording;
    private HiccupProbe probe;

    @Setup(Level.Trial)
    public final void startTrial(BenchmarkParams benchmark) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : benchmark.getParamsKeys()) {
            params.put(key, benchmark.getParam(key));
        }
        recording = TrialRecording.open(TrialFolder.trialsRoot(), benchmark.getBenchmark(), params);
        probe = new HiccupProbe(recording.recorder(HICCUP_THREAD));
        startRuntime(probe);
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
            stopRuntime();
        } finally {
            recording.close();
        }
    }

    /**
     * Starts what runs the workload, with the recording open: registers the runtime's streams (its pauses at
     * least) and starts its scheduler's sleeper on {@code probe}.
     */
    protected abstract void startRuntime(HiccupProbe probe) throws Exception;

    /** Ends what {@link #startRuntime} started; runs after the workload's state was released and the probe stopped. */
    protected abstract void stopRuntime() throws Exception;

    /** Builds the workload's state; runs after the runtime and the recording started. */
    protected void setUpTrial() throws Exception {
    }

    /** Releases the workload's state; runs before the runtime ends. */
    protected void tearDownTrial() throws Exception {
    }

    /** The {@code latency.hlog} stream, for workloads that serve requests: record nanoseconds from intended start. */
    protected final IntervalRecorder latencyRecorder() {
        return recording.recorder(LATENCY);
    }

    /** The run's random seed: every random choice of a workload derives from it, so a run can be repeated. */
    protected static long seed() {
        return Long.getLong(SEED_PROPERTY, 1);
    }

    /** Bytes in Go's syntax ({@code 64MiB}), for a workload's own size parameters: see {@link WorkloadParameters}. */
    protected static long bytes(String parameter, String value) {
        return WorkloadParameters.bytes(parameter, value);
    }
}

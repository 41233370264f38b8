package golab.workloads.lab;

import static golab.workloads.InProcessTrials.intervals;
import static golab.workloads.InProcessTrials.measurement;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import golab.runtime.metrics.GcTrace;
import golab.workloads.InProcessTrials;
import golab.workloads.Workload;
import golab.workloads.record.TrialFolder;
import golab.workloads.record.TrialManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Each lab workload through JMH itself, in this JVM (no fork), one short warmup and one short measurement
 * iteration with every parameter pinned to one value: the benchmark runs, its checks pass, and the trial
 * leaves the recordings the harness reads (a complete {@code trial.json}, parseable {@code .hlog} streams with
 * both intervals, a hiccup probe that woke).
 */
@Timeout(120)
class LabWorkloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PINNED = "gogc=100,gomaxprocs=2,gomemlimit=off";

    @TempDir
    Path trials;

    @Test
    void channelPatterns() throws Exception {
        run(ChannelPatterns.class, Map.of("workers", "4"));
        assertTrials(Map.of(
                "golab.workloads.lab.ChannelPatterns.pingPong/" + PINNED, false,
                "golab.workloads.lab.ChannelPatterns.fanOutFanIn/" + PINNED + ",workers=4", false));
    }

    @Test
    void imbalance() throws Exception {
        run(Imbalance.class, Map.of("burst", "64", "rounds", "5"));
        assertTrials(Map.of("golab.workloads.lab.Imbalance.burst/burst=64," + PINNED + ",rounds=5", false));
    }

    @Test
    void syscallHeavy() throws Exception {
        run(SyscallHeavy.class, Map.of("blockers", "4", "syscallMicros", "500", "computers", "2"));
        assertTrials(Map.of("golab.workloads.lab.SyscallHeavy.compute/blockers=4,computers=2," + PINNED
                + ",syscallMicros=500", false));
    }

    @Test
    void spinner() throws Exception {
        run(Spinner.class, Map.of("spinMillis", "20", "safepoints", "false"));
        assertTrials(Map.of("golab.workloads.lab.Spinner.window/" + PINNED + ",safepoints=false,spinMillis=20",
                true));
    }

    @Test
    void deepStacks() throws Exception {
        run(DeepStacks.class, Map.of("frameBytes", "1024", "depth", "16"));
        assertTrials(Map.of("golab.workloads.lab.DeepStacks.grow/depth=16,frameBytes=1024," + PINNED, false));
    }

    @Test
    void mutexVsChannel() throws Exception {
        run(MutexVsChannel.class, Map.of("guard", "mutex,channel", "workers", "4"));
        assertTrials(Map.of(
                "golab.workloads.lab.MutexVsChannel.increment/" + PINNED + ",guard=mutex,workers=4", false,
                "golab.workloads.lab.MutexVsChannel.increment/" + PINNED + ",guard=channel,workers=4", false));
    }

    @Test
    void requestServerRecordsLatencyGctraceAndMetricsPerIteration() throws Exception {
        run(RequestServer.class, Map.of("gomaxprocs", "1", "liveHeap", "4MiB", "rate", "2000"),
                TimeValue.milliseconds(600));
        String name = "golab.workloads.lab.RequestServer.serve/arrival=poisson,bufferBytes=4096,gogc=100,"
                + "gomaxprocs=1,gomemlimit=off,liveHeap=4MiB,rate=2000,stallMillis=0";
        assertTrials(Map.of(name, true));
        TrialFolder trial = new TrialFolder(trials.resolve(name).resolve("fork-1"));
        // 2000 requests per second for about 600 ms: hundreds of replies, each timed both ways.
        long replies = measurement(trial, Workload.LATENCY).getTotalCount();
        assertThat(replies).isGreaterThan(300);
        assertThat(measurement(trial, RequestServer.LATENCY_FROM_ISSUE).getTotalCount()).isEqualTo(replies);
        assertThat(measurement(trial, Workload.HICCUP_THREAD).getTotalCount()).isPositive();
        JsonNode metrics = JSON.readTree(trial.metrics().toFile()).get("iterations");
        assertThat(metrics).hasSize(2);
        assertThat(metrics.get(1).get("runtime").get("/gc/cycles/total:gc-cycles").asLong()).isPositive();
        assertThat(metrics.get(1).get("jvm_gc").isObject()).isTrue();
        List<String> trace = Files.readAllLines(trial.gctrace()).stream().filter(l -> l.startsWith("gc ")).toList();
        assertThat(trace).isNotEmpty().allMatch(l -> GcTrace.LINE.matcher(l).matches());
    }

    @Test
    void openLoopTimingShowsAStallThatTimingFromIssueHides() throws Exception {
        // GOGC=off: a request parked on a mark assist would wait out the stall too, and blur the comparison.
        run(RequestServer.class, Map.of("gomaxprocs", "1", "gogc", "off", "liveHeap", "4MiB", "rate", "4000",
                "arrival", "constant", "stallMillis", "50"), TimeValue.milliseconds(1500));
        TrialFolder trial = onlyTrial();
        Histogram openLoop = measurement(trial, Workload.LATENCY);
        Histogram fromIssue = measurement(trial, RequestServer.LATENCY_FROM_ISSUE);
        // Every tenth 100 ms window holds a 50 ms stall: open-loop, every request meant to start during it waits
        // for its end (about 2% of them over 40 ms). Timed from issue, only the rare request that was already
        // queued when the stall began sees it (a JVM or OS hiccup at the wrong moment reorders the run queue).
        long stalled = 40_000_000L;
        long stalledOpenLoop = openLoop.getCountBetweenValues(stalled, openLoop.getMaxValue());
        long stalledFromIssue = fromIssue.getCountBetweenValues(stalled, Math.max(stalled, fromIssue.getMaxValue()));
        assertThat(openLoop.getValueAtPercentile(99.9)).as("open-loop p99.9 (ns)").isGreaterThan(stalled);
        assertThat(stalledFromIssue).as("requests over 40 ms timed from issue, of %d open-loop", stalledOpenLoop)
                .isLessThan(stalledOpenLoop / 5);
        assertThat(fromIssue.getValueAtPercentile(99)).as("from-issue p99 (ns)")
                .isLessThan(openLoop.getValueAtPercentile(99) / 2);
    }

    @Test
    void poolReuseServesFromThePoolAndFromFreshBuffers() throws Exception {
        run(PoolReuse.class, Map.of("liveHeap", "4MiB", "rate", "1000", "buffers", "pool,allocate"));
        String params = "arrival=poisson,bufferBytes=4096,buffers=%s," + PINNED + ",liveHeap=4MiB,rate=1000,"
                + "stallMillis=0";
        assertTrials(Map.of(
                "golab.workloads.lab.PoolReuse.serve/" + params.formatted("pool"), true,
                "golab.workloads.lab.PoolReuse.serve/" + params.formatted("allocate"), true));
    }

    /** Runs every benchmark of {@code workload} with {@code params} (values comma-separated) pinned. */
    private void run(Class<? extends Workload> workload, Map<String, String> params) throws RunnerException {
        run(workload, params, TimeValue.milliseconds(300));
    }

    private void run(Class<? extends Workload> workload, Map<String, String> params, TimeValue measurement)
            throws RunnerException {
        Collection<RunResult> results = InProcessTrials.run(workload.getName() + "\\.", params, measurement, trials);
        assertThat(results).as("JMH results of " + workload.getSimpleName()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
    }

    /**
     * Exactly the trial folders {@code <benchmark>/<parameters>/fork-1} named by {@code expected} exist, each
     * complete and with its streams; the value says whether the trial must have recorded {@code latency}.
     */
    private void assertTrials(Map<String, Boolean> expected) throws IOException {
        List<String> found;
        try (Stream<Path> files = Files.walk(trials)) {
            found = files.filter(p -> p.getFileName().toString().equals(TrialFolder.TRIAL))
                    .map(p -> trials.relativize(p.getParent()).toString())
                    .toList();
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(
                expected.keySet().stream().map(name -> name + "/fork-1").toList());
        for (Map.Entry<String, Boolean> trial : expected.entrySet()) {
            assertTrial(new TrialFolder(trials.resolve(trial.getKey()).resolve("fork-1")), trial.getValue());
        }
    }

    private static void assertTrial(TrialFolder folder, boolean recordsLatency) throws IOException {
        TrialManifest manifest = InProcessTrials.manifest(folder);
        assertThat(manifest.status()).isEqualTo(TrialManifest.COMPLETE);
        assertThat(manifest.iterations()).extracting(TrialManifest.Iteration::type)
                .containsExactly(TrialFolder.WARMUP, TrialFolder.MEASUREMENT);
        assertThat(manifest.streams()).contains(Workload.GC_PAUSES, Workload.SCHED_LATENCIES,
                Workload.HICCUP_GOROUTINE, Workload.HICCUP_THREAD);
        assertThat(manifest.streams().contains(Workload.LATENCY)).as("latency stream").isEqualTo(recordsLatency);
        for (String stream : manifest.streams()) {
            List<Histogram> intervals = intervals(folder.hlog(stream));
            assertThat(intervals).as(stream).extracting(Histogram::getTag)
                    .containsExactly(TrialFolder.WARMUP, TrialFolder.MEASUREMENT);
            if (stream.equals(Workload.HICCUP_GOROUTINE) || stream.equals(Workload.LATENCY)) {
                assertThat(intervals).as(stream + " values per interval")
                        .allSatisfy(h -> assertThat(h.getTotalCount()).isPositive());
            }
        }
    }

    /** The one trial folder the last run left. */
    private TrialFolder onlyTrial() throws IOException {
        try (Stream<Path> files = Files.walk(trials)) {
            List<Path> manifests = files.filter(f -> f.getFileName().toString().equals(TrialFolder.TRIAL)).toList();
            assertThat(manifests).hasSize(1);
            return new TrialFolder(manifests.getFirst().getParent());
        }
    }

}

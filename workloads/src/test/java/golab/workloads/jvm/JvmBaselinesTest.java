package golab.workloads.jvm;

import static golab.workloads.InProcessTrials.intervals;
import static golab.workloads.InProcessTrials.measurement;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import golab.workloads.InProcessTrials;
import golab.workloads.RecordedWorkload;
import golab.workloads.record.TrialFolder;
import golab.workloads.record.TrialManifest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JVM baselines through JMH in this JVM (no fork), whose collector is the one surefire's JVM runs (G1 by
 * default): the {@code g1} variants run and record what the golab workloads record; the {@code zgc} variants are
 * checked by the flags their forks get, and the pause source by a collection it must see.
 */
@Timeout(60)
class JvmBaselinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path trials;

    @Test
    void requestServerRecordsLatencyBothWaysAndTheHiccupsOfBothKindsOfThread() throws Exception {
        TrialFolder trial = run(JvmRequestServer.class, Map.of("liveHeap", "4MiB", "rate", "2000"),
                "arrival=poisson,bufferBytes=4096,gomaxprocs=2,liveHeap=4MiB,rate=2000");
        long replies = measurement(trial, RecordedWorkload.LATENCY).getTotalCount();
        // 2000 requests per second for about 400 ms.
        assertThat(replies).isGreaterThan(400);
        assertThat(measurement(trial, JvmRequestServer.LATENCY_FROM_ISSUE).getTotalCount()).isEqualTo(replies);
        assertThat(measurement(trial, RecordedWorkload.HICCUP_THREAD).getTotalCount()).isPositive();
        assertThat(measurement(trial, JvmWorkload.HICCUP_VIRTUAL_THREAD).getTotalCount()).isPositive();
        assertThat(JSON.readTree(trial.metrics().toFile()).get("iterations").get(1).get("jvm_gc").isObject()).isTrue();
    }

    @Test
    void churnRecordsTheJvmsPausesInTheIterationTheyHappenedIn() throws Exception {
        // 512 MiB/s of nodes for about 400 ms fills the young generation of any heap surefire's JVM may have.
        TrialFolder trial = run(JvmLiveHeapChurn.class, Map.of("liveHeap", "4MiB", "rate", "512MiB"),
                "gomaxprocs=2,liveHeap=4MiB,rate=512MiB");
        assertThat(measurement(trial, RecordedWorkload.GC_PAUSES).getTotalCount()).as("pauses").isPositive();
    }

    @Test
    void pauseSourceSeesACollectionOnceAndOnlyOnce() {
        try (JfrPauses pauses = new JfrPauses()) {
            long before = pauses.snapshot().getTotalCount();
            long collections = collections();
            System.gc();
            long pausesOfGc = pauses.snapshot().getTotalCount() - before;
            assertThat(pausesOfGc).as("pauses of one System.gc()").isPositive();
            assertThat(pauses.snapshot().getTotalCount() - before).as("the same pauses, counted again")
                    .isEqualTo(pausesOfGc);
            assertThat(collections()).isGreaterThan(collections);
        }
    }

    @Test
    void eachVariantForksWithItsCollectorAndAFixedHeap() {
        for (Class<?> baseline : List.of(JvmRequestServer.class, JvmLiveHeapChurn.class)) {
            assertThat(forkArgs(baseline, "g1")).containsExactly(JvmWorkload.HEAP, JvmWorkload.G1);
            assertThat(forkArgs(baseline, "zgc")).containsExactly(JvmWorkload.HEAP, JvmWorkload.ZGC);
        }
    }

    /** The prepended and appended JVM flags JMH gives the forks of {@code baseline.method}. */
    private static List<String> forkArgs(Class<?> baseline, String method) {
        BenchmarkListEntry entry = BenchmarkList.defaultList().getAll(null, List.of()).stream()
                .filter(b -> b.getUsername().equals(baseline.getName() + "." + method))
                .findFirst().orElseThrow();
        List<String> args = new ArrayList<>(entry.getJvmArgsPrepend().get());
        args.addAll(entry.getJvmArgsAppend().get());
        return args;
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(b -> Math.max(0, b.getCollectionCount())).sum();
    }

    /**
     * Runs {@code baseline}'s {@code g1} benchmark with {@code params} and GOMAXPROCS 2, one warmup and one
     * measurement iteration; returns its trial folder, checked complete with both intervals in every stream.
     */
    private TrialFolder run(Class<? extends JvmWorkload> baseline, Map<String, String> params, String paramsName)
            throws RunnerException, IOException {
        assertThat(InProcessTrials.run(baseline.getName() + "\\.g1$", params, TimeValue.milliseconds(400), trials))
                .singleElement().satisfies(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
        TrialFolder trial = InProcessTrials.trial(trials, baseline.getName() + ".g1", paramsName);
        TrialManifest manifest = InProcessTrials.manifest(trial);
        assertThat(manifest.status()).isEqualTo(TrialManifest.COMPLETE);
        assertThat(manifest.streams()).contains(RecordedWorkload.GC_PAUSES, RecordedWorkload.HICCUP_THREAD,
                JvmWorkload.HICCUP_VIRTUAL_THREAD);
        for (String stream : manifest.streams()) {
            assertThat(intervals(trial.hlog(stream))).as(stream).extracting(Histogram::getTag)
                    .containsExactly(TrialFolder.WARMUP, TrialFolder.MEASUREMENT);
        }
        return trial;
    }
}

package golab.workloads.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import golab.runtime.gc.GcSettings;
import golab.runtime.gc.PacerVersion;
import golab.runtime.metrics.GcTrace;
import golab.workloads.InProcessTrials;
import golab.workloads.Workload;
import golab.workloads.record.TrialFolder;
import golab.workloads.record.TrialManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * A short run of the GC workload, from the command line's entry point and as a lab workload under JMH: it churns,
 * the collector cycles, and the result (or the trial folder) holds what the table (or the harness) reads.
 */
@Timeout(120)
class LiveHeapChurnTest {

    @TempDir
    Path trials;

    @Test
    @SuppressWarnings("unchecked")
    void aShortRunCyclesAndReportsPausesHeapAndCpu() {
        var p = new LiveHeapChurn.Params(2L << 20, 64L << 20, Duration.ofMillis(600), 100, GcSettings.NO_MEMORY_LIMIT,
                2, 1, Duration.ofMillis(1), Duration.ofMillis(300));
        Map<String, Object> r = LiveHeapChurn.run(p, PacerVersion.GO1_19);
        assertThat(((Map<String, Object>) r.get("params")).get("pacer")).as("the pacer asked for").isEqualTo("GO1_19");
        var warmup = (Map<String, Object>) r.get("warmup");
        assertThat((long) warmup.get("gc_cycles")).as("cycles in the warm-up, and the forced one after it")
                .isGreaterThanOrEqualTo(LiveHeapChurn.WARMUP_CYCLES + 1);
        var window = (Map<String, Object>) r.get("window");
        long cycles = (long) window.get("gc_cycles");
        assertThat(cycles).as("cycles in the window").isPositive();
        var pauses = (Map<String, Object>) ((Map<String, Object>) r.get("pauses")).get("histogram");
        assertThat((long) pauses.get("count")).as("two stop-the-world pauses per cycle").isGreaterThanOrEqualTo(2 * cycles);
        var heap = (Map<String, Object>) r.get("heap");
        assertThat((double) heap.get("peak_inuse_over_live")).as("peak heap over live heap").isGreaterThan(1.0);
        var cpu = (Map<String, Object>) r.get("gc_cpu");
        assertThat((double) cpu.get("gc_share_of_capacity")).isBetween(0.0, 1.0);
        assertThat((int) cpu.get("cycles")).as("cycles summed: those that ended in the window").isEqualTo((int) cycles);
        var counters = (Map<String, Object>) r.get("gc_cpu_counters");
        assertThat((double) counters.get("gc_share_of_capacity")).isBetween(0.0, 1.0);
        assertThat((List<String>) r.get("gctrace_lines")).hasSize((int) cycles)
                .allMatch(l -> GcTrace.LINE.matcher(l).matches());
        // HotSpot counts compile time (-1 would say the JVM does not).
        assertThat((long) ((Map<String, Object>) r.get("jvm_jit")).get("compile_ms")).as("JIT ms in the window")
                .isNotNegative();
    }

    @Test
    void gcCpuSumsTheCyclesAsTheGoTwinDoes() {
        var lines = List.of(
                "gc 7 @1.000s 20%: 0.050+12+0.020 ms clock, 0.10+3.0/4.5/1.5+0.040 ms cpu, 8->9->4 MB, 9 MB goal, "
                        + "0 MB stacks, 0 MB globals, 2 P",
                "gc 8 @2.000s 21%: 0.060+10+0.030 ms clock, 0.12+2.0/5.5/0.50+0.060 ms cpu, 8->9->4 MB, 9 MB goal, "
                        + "0 MB stacks, 0 MB globals, 2 P (forced)");
        Map<String, Object> cpu = LiveHeapChurn.cpuOfCycles(lines, 100.0);
        assertThat((int) cpu.get("cycles")).isEqualTo(2);
        assertThat((double) cpu.get("stw_cpu_ms")).as("both stops of both cycles").isCloseTo(0.32, within(1e-9));
        assertThat((double) cpu.get("assist_cpu_ms")).isCloseTo(5.0, within(1e-9));
        assertThat((double) cpu.get("background_cpu_ms")).isCloseTo(10.0, within(1e-9));
        assertThat((double) cpu.get("idle_cpu_ms")).isCloseTo(2.0, within(1e-9));
        assertThat((double) cpu.get("gc_share_of_capacity")).as("idle excluded").isCloseTo(0.1532, within(1e-9));
        assertThat((double) cpu.get("idle_share_of_capacity")).isCloseTo(0.02, within(1e-9));
        assertThatThrownBy(() -> LiveHeapChurn.cpuOfCycles(List.of("gc 9 garbled"), 100.0))
                .hasMessageContaining("gc 9 garbled");
    }

    @Test
    void badParametersAreRejectedNamingThem() {
        assertThatThrownBy(() -> new LiveHeapChurn.Params(100, 1, Duration.ofSeconds(1), 100, Long.MAX_VALUE, 1, 1,
                Duration.ofMillis(1), Duration.ZERO)).hasMessageContaining("-live 100");
        assertThatThrownBy(() -> LiveHeapChurn.duration("10 seconds")).hasMessageContaining("duration 10 seconds");
        assertThatThrownBy(() -> PacerVersion.parse("-pacer", "1.20"))
                .hasMessageContaining("-pacer").hasMessageContaining("\"1.20\"").hasMessageContaining("allowed: 1.19, 1.21");
    }

    @Test
    void asALabWorkloadItRecordsPausesAndGctraceInTheMeasurementInterval() throws Exception {
        RunResult result = InProcessTrials.run(LiveHeapChurn.class.getName() + "\\.churn$", Map.of("liveHeap", "4MiB"),
                TimeValue.milliseconds(400), trials).iterator().next();
        // A window is 100 ms of churn: the score is at least that.
        assertThat(result.getPrimaryResult().getScore()).isGreaterThanOrEqualTo(Churn.WINDOW_MILLIS);
        TrialFolder trial = InProcessTrials.trial(trials, LiveHeapChurn.class.getName() + ".churn",
                "gogc=100,gomaxprocs=2,gomemlimit=off,liveHeap=4MiB,rate=64MiB");
        TrialManifest manifest = InProcessTrials.manifest(trial);
        assertThat(manifest.status()).isEqualTo(TrialManifest.COMPLETE);
        assertThat(manifest.iterations()).extracting(TrialManifest.Iteration::type)
                .containsExactly(TrialFolder.WARMUP, TrialFolder.MEASUREMENT);
        // 64 MiB/s over 4 MiB live at GOGC=100: a cycle about every 60 ms, two pauses each.
        List<Histogram> pauses = InProcessTrials.intervals(trial.hlog(Workload.GC_PAUSES));
        assertThat(pauses).extracting(Histogram::getTag).containsExactly(TrialFolder.WARMUP, TrialFolder.MEASUREMENT);
        assertThat(pauses.get(1).getTotalCount()).as("pauses in the measurement").isGreaterThanOrEqualTo(2);
        assertThat(InProcessTrials.measurement(trial, Workload.HICCUP_GOROUTINE).getTotalCount()).isPositive();
        assertThat(Files.readAllLines(trial.gctrace()).stream().filter(l -> l.startsWith("gc ")).toList())
                .isNotEmpty().allMatch(l -> GcTrace.LINE.matcher(l).matches());
    }
}

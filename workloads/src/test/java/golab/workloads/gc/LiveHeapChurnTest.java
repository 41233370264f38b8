package golab.workloads.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.runtime.gc.GcSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A short run of the GC workload: it churns, the collector cycles, and the result holds what the table reads. */
@Timeout(120)
class LiveHeapChurnTest {

    @Test
    @SuppressWarnings("unchecked")
    void aShortRunCyclesAndReportsPausesHeapAndCpu() {
        var p = new LiveHeapChurn.Params(2L << 20, 64L << 20, Duration.ofMillis(600), 100, GcSettings.NO_MEMORY_LIMIT,
                2, 1, Duration.ofMillis(1), Duration.ZERO);
        Map<String, Object> r = LiveHeapChurn.run(p);
        var window = (Map<String, Object>) r.get("window");
        long cycles = (long) window.get("gc_cycles");
        assertThat(cycles).as("cycles in the window").isPositive();
        var pauses = (Map<String, Object>) ((Map<String, Object>) r.get("pauses")).get("histogram");
        assertThat((long) pauses.get("count")).as("two stop-the-world pauses per cycle").isGreaterThanOrEqualTo(2 * cycles);
        var heap = (Map<String, Object>) r.get("heap");
        assertThat((double) heap.get("peak_inuse_over_live")).as("peak heap over live heap").isGreaterThan(1.0);
        var cpu = (Map<String, Object>) r.get("gc_cpu");
        assertThat((double) cpu.get("gc_share_of_capacity")).isBetween(0.0, 1.0);
        assertThat((List<String>) r.get("gctrace_lines")).hasSize((int) cycles)
                .allMatch(l -> golab.runtime.metrics.GcTrace.LINE.matcher(l).matches());
    }

    @Test
    void badParametersAreRejectedNamingThem() {
        assertThatThrownBy(() -> new LiveHeapChurn.Params(100, 1, Duration.ofSeconds(1), 100, Long.MAX_VALUE, 1, 1,
                Duration.ofMillis(1), Duration.ZERO)).hasMessageContaining("-live 100");
        assertThatThrownBy(() -> LiveHeapChurn.duration("10 seconds")).hasMessageContaining("duration 10 seconds");
    }
}

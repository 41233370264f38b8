package golab.harness.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import golab.harness.report.FailedRun;
import golab.harness.report.JmhResult;
import golab.harness.report.RunKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepPlanTest {

    @Test
    void theSweepsGomaxprocsReplaceTheAnnotatedValues() {
        Map<String, String[]> declared = new LinkedHashMap<>();
        declared.put("gomaxprocs", new String[] {"1"});
        declared.put("size", new String[] {"16", "64"});

        List<Map<String, String>> combinations =
                SweepPlan.combinations(declared, Map.of("gomaxprocs", List.of("1", "2")));

        assertThat(combinations).containsExactly(
                Map.of("gomaxprocs", "1", "size", "16"),
                Map.of("gomaxprocs", "1", "size", "64"),
                Map.of("gomaxprocs", "2", "size", "16"),
                Map.of("gomaxprocs", "2", "size", "64"));
    }

    @Test
    void aBenchmarkWithoutGomaxprocsRunsOncePerOwnParameterValue() {
        assertThat(SweepPlan.combinations(Map.of("size", new String[] {"16", "64"}),
                        Map.of("gomaxprocs", List.of("1", "2"))))
                .containsExactly(Map.of("size", "16"), Map.of("size", "64"));
        assertThat(SweepPlan.combinations(Map.of(), Map.of("gomaxprocs", List.of("1", "2"))))
                .containsExactly(Map.of());
    }

    @Test
    void aPlannedRunWithoutResultHasFailed() {
        RunKey one = RunKey.of("a.B.golabSpawn", "thrpt", Map.of("gomaxprocs", "1"));
        RunKey two = RunKey.of("a.B.golabSpawn", "thrpt", Map.of("gomaxprocs", "2"));
        SweepPlan plan = new SweepPlan(List.of(one, two));
        JmhResult measured = new JmhResult(one, 10, 1, "ops/ms");

        assertThat(plan.withoutResult(List.of(measured))).containsExactly(two);
        assertThat(plan.outcomes(List.of(measured))).containsExactly(measured, new FailedRun(two));
        assertThat(plan.withoutResult(List.of(measured, new JmhResult(two, 12, 1, "ops/ms")))).isEmpty();
        assertThat(plan.benchmarkCount()).isEqualTo(1);
    }
}

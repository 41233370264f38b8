package golab.harness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import golab.harness.report.Column.Gomaxprocs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselineRatioTest {

    @Test
    void dividesGolabByEachBaselinePerGomaxprocs() {
        List<BaselineRatio> ratios = BaselineRatio.of(JmhSample.table(JmhSample.SPAWN));

        assertThat(ratios).extracting(r -> r.golab().method() + "/" + r.baseline().method())
                .containsExactly("golabSpawn/platformThreadsSpawn", "golabSpawn/virtualThreadsSpawn");
        BaselineRatio platform = ratios.getFirst();
        assertThat(platform.ratios()).containsExactly(
                Map.entry(new Gomaxprocs("1"), 2.0),
                Map.entry(new Gomaxprocs("2"), 4.0),
                Map.entry(new Gomaxprocs("10"), 2.0));
        assertThat(platform.higherIsBetter()).isTrue();
    }

    @Test
    void leavesOutColumnsWhereTheBaselineHasNoScore() {
        BaselineRatio virtual = BaselineRatio.of(JmhSample.table(JmhSample.SPAWN)).getLast();

        assertThat(virtual.ratios()).containsOnlyKeys(new Gomaxprocs("1"), new Gomaxprocs("2"));
        assertThat(virtual.ratios().get(new Gomaxprocs("1"))).isCloseTo(0.5, within(1e-12));
        assertThat(virtual.ratios().get(new Gomaxprocs("2"))).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void pairsRowsWithTheSameOtherParametersAndModeOnly() {
        List<BaselineRatio> ratios = BaselineRatio.of(JmhSample.table(JmhSample.PING_PONG));

        assertThat(ratios).singleElement().satisfies(ratio -> {
            assertThat(ratio.ratios()).containsExactly(Map.entry(new Gomaxprocs("1"), 0.25));
            assertThat(ratio.higherIsBetter()).isFalse();
        });
    }

    @Test
    void aTableWithoutBaselinesHasNoRatios() {
        assertThat(BaselineRatio.of(JmhSample.table(JmhSample.PAUSES))).isEmpty();
    }

    @Test
    void differentUnitsGiveNoRatio() {
        ScoreTable table = ScoreTable.of(List.of(
                result("golabSend", "1", 10.0, "ops/ms"),
                result("virtualThreadsSend", "1", 5.0, "ops/s")))
                .getFirst();

        assertThat(BaselineRatio.of(table)).singleElement()
                .satisfies(ratio -> assertThat(ratio.ratios()).isEmpty());
    }

    @Test
    void differentSizesAreNotCompared() {
        ScoreTable table = ScoreTable.of(List.of(
                new JmhResult(RunKey.of("a.B.golabSend", "thrpt", Map.of("gomaxprocs", "1", "size", "1")), 1, 0, "ops/s"),
                new JmhResult(RunKey.of("a.B.virtualThreadsSend", "thrpt", Map.of("gomaxprocs", "1", "size", "2")), 1, 0, "ops/s")))
                .getFirst();

        assertThat(BaselineRatio.of(table)).isEmpty();
    }

    private static JmhResult result(String method, String gomaxprocs, double score, String unit) {
        return new JmhResult(RunKey.of("a.B." + method, "thrpt", Map.of("gomaxprocs", gomaxprocs)), score, 0.1, unit);
    }
}

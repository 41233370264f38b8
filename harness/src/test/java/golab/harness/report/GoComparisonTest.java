package golab.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoComparisonTest {

    private static final String PING_PONG = "golab.workloads.chan.PingPongBench.";
    private static final String SELECT = "golab.workloads.chan.SelectBench.golabSelect";

    private static final List<JmhResult> RESULTS = List.of(
            result(PING_PONG + "golabPingPong", Map.of("gomaxprocs", "2"), 500, 40, "ns/op"),
            result(PING_PONG + "golabPingPong", Map.of("gomaxprocs", "1"), 300, 20, "ns/op"),
            result(PING_PONG + "virtualThreadsPingPong", Map.of("gomaxprocs", "1"), 900, 30, "ns/op"),
            result(SELECT, Map.of("gomaxprocs", "1", "cases", "2"), 0.6, 0.01, "us/op"));

    private static final List<GoBenchResult> GO = List.of(
            GoBenchResult.of(PING_PONG + "golabPingPong", "BenchmarkPingPong", Map.of("gomaxprocs", "1"),
                    List.of(250.0, 190.0, 200.0)),
            GoBenchResult.of(PING_PONG + "golabPingPong", "BenchmarkPingPong", Map.of("gomaxprocs", "2"),
                    List.of(260.0, 240.0)),
            GoBenchResult.of(SELECT, "BenchmarkSelect/cases=2", Map.of("gomaxprocs", "1", "cases", "2"), List.of(300.0)),
            GoBenchResult.of(SELECT, "BenchmarkSelect/cases=4", Map.of("gomaxprocs", "1", "cases", "4"), List.of(400.0)));

    @Test
    void setsGosMedianBesideGolabAndTheVirtualThreads() {
        List<GoComparison> beside = GoComparison.of(RESULTS, GO);

        assertThat(beside).hasSize(3); // cases=4 has no JMH result
        GoComparison one = beside.getFirst();
        assertThat(one.golab().key().params()).containsEntry("gomaxprocs", "1");
        assertThat(one.virtualThreads()).hasValueSatisfying(vt -> assertThat(vt.score()).isEqualTo(900));
        assertThat(one.goScore()).hasValue(200.0);
        assertThat(one.ratio()).hasValue(1.5);
        GoComparison two = beside.get(1);
        assertThat(two.virtualThreads()).isEmpty();
        assertThat(two.goScore()).hasValue(250.0);
        assertThat(two.ratio()).hasValue(2.0);
    }

    @Test
    void goIsConvertedToTheUnitOfGolabsScore() {
        GoComparison select = GoComparison.of(RESULTS, GO).getLast();

        assertThat(select.goScore().getAsDouble()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(select.ratio().getAsDouble()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void rendersOneLinePerBenchmarkParametersAndGomaxprocs() {
        String table = GoComparison.markdown(GoComparison.of(RESULTS, GO));

        assertThat(table).isEqualTo("""
                | benchmark | gomaxprocs | golab | virtual threads | Go (median) | golab / Go | unit |
                |---|---:|---:|---:|---:|---:|---|
                | PingPongBench.golabPingPong | 1 | 300 ± 20 | 900 ± 30 | 200.0 (3) | 1.50 | ns/op |
                | PingPongBench.golabPingPong | 2 | 500 ± 40 | — | 250.0 (2) | 2.00 | ns/op |
                | SelectBench.golabSelect cases=2 | 1 | 0.600 ± 0.010 | — | 0.3000 (1) | 2.00 | us/op |
                """);
    }

    @Test
    void acrossRunsEachRowHasEveryRunsRatioInOrderAndTheirMedian() {
        List<GoComparison> first = GoComparison.of(RESULTS, GO);
        List<GoComparison> second = GoComparison.of(List.of(
                result(PING_PONG + "golabPingPong", Map.of("gomaxprocs", "1"), 260, 20, "ns/op"),
                result(PING_PONG + "golabPingPong", Map.of("gomaxprocs", "2"), 780, 40, "ns/op")), GO);
        List<GoComparison> third = GoComparison.of(List.of(
                result(PING_PONG + "golabPingPong", Map.of("gomaxprocs", "1"), 420, 20, "ns/op")), GO);

        assertThat(GoComparison.acrossRuns(List.of(first, second, third))).isEqualTo("""
                | benchmark | gomaxprocs | golab / Go, run by run | median | runs |
                |---|---:|---|---:|---:|
                | PingPongBench.golabPingPong | 1 | 1.50 1.30 2.10 | 1.50 | 3 |
                | PingPongBench.golabPingPong | 2 | 2.00 3.12 — | 2.56 | 2 |
                | SelectBench.golabSelect cases=2 | 1 | 2.00 — — | 2.00 | 1 |
                """);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(GO.get(0).medianNsPerOp()).isEqualTo(200.0);
        assertThat(GO.get(1).medianNsPerOp()).isEqualTo(250.0);
    }

    private static JmhResult result(String benchmark, Map<String, String> params, double score, double error,
                                    String unit) {
        return new JmhResult(RunKey.of(benchmark, "avgt", params), score, error, unit);
    }
}

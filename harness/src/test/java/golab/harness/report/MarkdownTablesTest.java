package golab.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkdownTablesTest {

    @Test
    void scoresHaveARowPerMethodAndAColumnPerGomaxprocs() {
        assertThat(MarkdownTables.scores(JmhSample.table(JmhSample.SPAWN))).isEqualTo("""
                | Benchmark | Mode | gomaxprocs=1 | gomaxprocs=2 | gomaxprocs=10 | Unit |
                |---|---|---:|---:|---:|---|
                | golabSpawn | thrpt | 2400 ± 120 | 4000 ± 200 | 3000 ± 30 | ops/ms |
                | platformThreadsSpawn | thrpt | 1200 ± 12 | 1000 ± 10 | 1500 ± 15 | ops/ms |
                | virtualThreadsSpawn | thrpt | 4800 ± 96 | 5000 | — | ops/ms |
                """);
    }

    @Test
    void ratiosSayWhichSideOfOneFavoursGolab() {
        ScoreTable spawn = JmhSample.table(JmhSample.SPAWN);
        assertThat(MarkdownTables.ratios(spawn, BaselineRatio.of(spawn))).isEqualTo("""
                | golab / baseline | Mode | golab better when | gomaxprocs=1 | gomaxprocs=2 | gomaxprocs=10 |
                |---|---|---|---:|---:|---:|
                | golabSpawn / platformThreadsSpawn | thrpt | > 1 | 2.00 | 4.00 | 2.00 |
                | golabSpawn / virtualThreadsSpawn | thrpt | > 1 | 0.500 | 0.800 | — |
                """);

        ScoreTable pingPong = JmhSample.table(JmhSample.PING_PONG);
        assertThat(MarkdownTables.ratios(pingPong, BaselineRatio.of(pingPong)))
                .contains("| golabPingPong size=0 / virtualThreadsPingPong | avgt | < 1 | 0.250 |");
    }

    @Test
    void failedRunsAreMarkedAndPipesEscaped() {
        List<RunOutcome> outcomes = new ArrayList<>();
        outcomes.add(new JmhResult(RunKey.of("a.B.golabRun", "thrpt", Map.of("gomaxprocs", "1", "shape", "a|b")), 3, Double.NaN, "ops/s"));
        outcomes.add(new FailedRun(RunKey.of("a.B.golabRun", "thrpt", Map.of("gomaxprocs", "2", "shape", "a|b"))));

        assertThat(MarkdownTables.scores(ScoreTable.of(outcomes).getFirst()))
                .contains("| golabRun shape=a\\|b | thrpt | 3.000 | failed | ops/s |");
    }
}

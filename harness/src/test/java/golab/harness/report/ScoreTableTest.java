package golab.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import golab.harness.report.Column.Gomaxprocs;
import golab.harness.report.Column.Unparameterized;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreTableTest {

    @Test
    void makesOneTablePerClassInNameOrder() {
        assertThat(ScoreTable.of(JmhSample.results()))
                .extracting(ScoreTable::className)
                .containsExactly(JmhSample.PING_PONG, JmhSample.PAUSES, JmhSample.SPAWN);
    }

    @Test
    void columnsAreGomaxprocsValuesInNumericOrder() {
        assertThat(JmhSample.table(JmhSample.SPAWN).columns())
                .containsExactly(new Gomaxprocs("1"), new Gomaxprocs("2"), new Gomaxprocs("10"));
    }

    @Test
    void rowsAreMethodsWithAScorePerGomaxprocs() {
        ScoreTable spawn = JmhSample.table(JmhSample.SPAWN);

        assertThat(spawn.rows()).extracting(Row::method)
                .containsExactly("golabSpawn", "platformThreadsSpawn", "virtualThreadsSpawn");
        Row golab = spawn.rows().getFirst();
        assertThat(golab.unit()).contains("ops/ms");
        assertThat(golab.result(new Gomaxprocs("2"))).get()
                .extracting(JmhResult::score).isEqualTo(4000.0);
        Row virtual = spawn.rows().getLast();
        assertThat(virtual.result(new Gomaxprocs("10"))).isEmpty();
    }

    @Test
    void otherParametersStayInTheRow() {
        Row golab = JmhSample.table(JmhSample.PING_PONG).rows().getFirst();

        assertThat(golab.otherParams()).containsExactly(Map.entry("size", "0"));
        assertThat(golab.label()).isEqualTo("golabPingPong size=0");
        assertThat(golab.mode()).isEqualTo("avgt");
    }

    @Test
    void aBenchmarkWithoutGomaxprocsHasOneScoreColumn() {
        ScoreTable pauses = JmhSample.table(JmhSample.PAUSES);

        assertThat(pauses.columns()).containsExactly(new Unparameterized());
        assertThat(pauses.columns().first().header()).isEqualTo("score");
    }

    @Test
    void aFailedRunTakesItsCell() {
        RunKey failedKey = RunKey.of(JmhSample.SPAWN + ".virtualThreadsSpawn", "thrpt", Map.of("gomaxprocs", "10"));
        List<RunOutcome> outcomes = new ArrayList<>(JmhSample.results());
        outcomes.add(new FailedRun(failedKey));

        Row virtual = ScoreTable.of(outcomes).stream()
                .filter(t -> t.className().equals(JmhSample.SPAWN)).findFirst().orElseThrow()
                .rows().getLast();

        assertThat(virtual.cells().get(new Gomaxprocs("10"))).isEqualTo(new FailedRun(failedKey));
        assertThat(virtual.result(new Gomaxprocs("10"))).isEmpty();
    }
}

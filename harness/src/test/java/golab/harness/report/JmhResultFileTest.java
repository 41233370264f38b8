package golab.harness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmhResultFileTest {

    @Test
    void readsThePrimaryMetricOfEveryEntry() {
        List<JmhResult> results = JmhSample.results();

        assertThat(results).hasSize(11);
        assertThat(results.getFirst()).isEqualTo(new JmhResult(
                RunKey.of(JmhSample.SPAWN + ".golabSpawn", "thrpt", Map.of("gomaxprocs", "1")),
                2400.0, 120.0, "ops/ms"));
    }

    @Test
    void readsJmhsNanErrorAsNan() {
        JmhResult virtualAtTwo = JmhSample.results().stream()
                .filter(r -> r.key().method().equals("virtualThreadsSpawn") && r.key().params().get("gomaxprocs").equals("2"))
                .findFirst().orElseThrow();

        assertThat(virtualAtTwo.score()).isEqualTo(5000.0);
        assertThat(virtualAtTwo.scoreError()).isNaN();
    }

    @Test
    void aBenchmarkWithoutParamsHasEmptyParams() {
        JmhResult pauses = JmhSample.results().getLast();

        assertThat(pauses.key().benchmark()).isEqualTo(JmhSample.PAUSES + ".pauses");
        assertThat(pauses.key().params()).isEmpty();
        assertThat(pauses.key().className()).isEqualTo(JmhSample.PAUSES);
        assertThat(pauses.key().method()).isEqualTo("pauses");
    }

    @Test
    void refusesAFileThatIsNotAJmhResultArray() {
        assertThatThrownBy(() -> JmhResultFile.parse("{\"benchmark\": \"x\"}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("array");
        assertThatThrownBy(() -> JmhResultFile.parse("[{\"benchmark\": \"a.B.c\", \"mode\": \"thrpt\"}]"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("primaryMetric");
    }
}

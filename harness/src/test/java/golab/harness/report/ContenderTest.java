package golab.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import golab.harness.report.Contender.Method;
import org.junit.jupiter.api.Test;

class ContenderTest {

    @Test
    void splitsPrefixAndGroup() {
        assertThat(Contender.of("golabSpawn")).contains(new Method(Contender.GOLAB, "Spawn"));
        assertThat(Contender.of("virtualThreadsSpawn")).contains(new Method(Contender.VIRTUAL_THREADS, "Spawn"));
        assertThat(Contender.of("platformThreadsSpawn")).contains(new Method(Contender.PLATFORM_THREADS, "Spawn"));
        assertThat(Contender.of("golab")).contains(new Method(Contender.GOLAB, ""));
    }

    @Test
    void aPrefixMustEndAtAWordBoundary() {
        assertThat(Contender.of("golabel")).isEmpty();
        assertThat(Contender.of("virtualThreadsafe")).isEmpty();
        assertThat(Contender.of("spawn")).isEmpty();
    }
}

package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.runtime.GoConfig;
import golab.runtime.GoDebug;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad configuration is rejected at start with a message naming the option and what is allowed. */
class GoConfigTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "abc", "2.5", "", "1025"})
    void invalidGomaxprocsIsRejected(String value) {
        if (value.isEmpty()) {
            assertThat(GoConfig.fromEnvironment(Map.of("GOMAXPROCS", value)).gomaxprocs())
                    .isEqualTo(Runtime.getRuntime().availableProcessors());
            return;
        }
        assertThatThrownBy(() -> GoConfig.fromEnvironment(Map.of("GOMAXPROCS", value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GOMAXPROCS=" + value + ": allowed values are integers from 1 to 1024");
    }

    @Test
    void environmentIsRead() {
        GoConfig c = GoConfig.fromEnvironment(Map.of("GOMAXPROCS", "3", "GODEBUG", "schedtrace=100,scheddetail=1"));
        assertThat(c.gomaxprocs()).isEqualTo(3);
        assertThat(c.godebug()).isEqualTo(new GoDebug(100, true, false));
    }

    @Test
    void unknownGodebugOptionIsRejected() {
        assertThatThrownBy(() -> GoDebug.parse("schedtrace=10,gctrace=1,foo=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GODEBUG: unknown option 'foo' (allowed: schedtrace, scheddetail, gctrace)");
    }

    @Test
    void gcSettingsAreReadAndBadOnesNamed() {
        GoConfig c = GoConfig.fromEnvironment(Map.of("GOGC", "50", "GOMEMLIMIT", "512MiB", "GODEBUG", "gctrace=1"));
        assertThat(c.gogc()).isEqualTo(50);
        assertThat(c.gomemlimit()).isEqualTo(512L << 20);
        assertThat(c.godebug().gctrace()).isTrue();
        assertThat(GoConfig.fromEnvironment(Map.of("GOGC", "off")).gogc()).isEqualTo(-1);
        assertThatThrownBy(() -> GoConfig.fromEnvironment(Map.of("GOGC", "lots")))
                .hasMessageContaining("GOGC=lots");
        assertThatThrownBy(() -> GoConfig.fromEnvironment(Map.of("GOMEMLIMIT", "1GB")))
                .hasMessageContaining("GOMEMLIMIT=1GB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"schedtrace=-5", "schedtrace=x", "scheddetail=2", "schedtrace", "=3"})
    void malformedGodebugValueIsRejected(String godebug) {
        assertThatThrownBy(() -> GoDebug.parse(godebug))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("GODEBUG");
    }

    @Test
    void invalidThreadLimitIsRejected() {
        assertThatThrownBy(() -> GoConfig.defaults().withMaxThreads(1))
                .hasMessageContaining("max threads=1");
    }
}

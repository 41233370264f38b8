package golab.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import golab.harness.CommandLineRun;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void optionsJmhRejectsAreAUsageError() {
        CommandLineRun unknown = CommandLineRun.of("bench", "-x");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("golab bench: JMH rejected the arguments", "x is not a recognized option");

        CommandLineRun missingValue = CommandLineRun.of("bench", "-f");
        assertThat(missingValue.exitCode()).isEqualTo(2);
        assertThat(missingValue.err()).contains("requires an argument");
    }

    @Test
    void jmhOptionsAreNotMistakenForGolabOptions() {
        // To a POSIX-style parser -prof could be the cluster -p -r -o -f; it must reach JMH whole.
        CommandLineRun run = CommandLineRun.of("bench", "-prof", "gc", "-lrf");

        assertThat(run.exitCode()).isZero();
    }
}

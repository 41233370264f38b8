package golab.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GolabTest {

    @Test
    void helpListsTheCommands() {
        CommandLineRun run = CommandLineRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("sweep", "bench", "Exit codes");
    }

    @Test
    void versionNamesGolabJmhAndJava() {
        CommandLineRun run = CommandLineRun.of("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("golab ", "JMH 1.37", "Java " + Runtime.version());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"sweep", "bench"}) {
            CommandLineRun run = CommandLineRun.of(command, "--help");
            assertThat(run.exitCode()).as(command).isZero();
            assertThat(run.out()).as(command).contains("Usage: golab " + command);
        }
    }

    @Test
    void noCommandIsAUsageError() {
        CommandLineRun run = CommandLineRun.of();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Usage: golab");
    }

    @Test
    void anUnknownCommandOrOptionIsAUsageErrorWithAHint() {
        CommandLineRun unknownCommand = CommandLineRun.of("swep");
        assertThat(unknownCommand.exitCode()).isEqualTo(2);
        assertThat(unknownCommand.err()).contains("'swep'", "golab sweep", "See 'golab --help'.");

        CommandLineRun unknownOption = CommandLineRun.of("--colour");
        assertThat(unknownOption.exitCode()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown option: '--colour'");
    }
}

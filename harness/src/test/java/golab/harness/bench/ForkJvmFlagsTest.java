package golab.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;

class ForkJvmFlagsTest {

    @Test
    void withoutJvmArgsForksInheritTheHostFlagsAndNothingIsAdded() throws Exception {
        Options options = new CommandLineOptions("-f", "1", "-jvmArgsAppend", "-Dx=1");

        assertThat(ForkJvmFlags.replacesInheritedFlags(options)).isFalse();
    }

    @Test
    void theTrialsFolderAndSeedReachForksWithoutReplacingTheBenchmarksOwnAppendedFlags() throws Exception {
        Path trials = Path.of("/tmp/runs/x/trials");

        Options inherited = ForkJvmFlags.recordingInto(new CommandLineOptions("-f", "1"), trials, 7);
        Options given = ForkJvmFlags.recordingInto(new CommandLineOptions("-jvmArgs", "-Xmx1g"), trials, 7);

        // A -jvmArgsAppend would replace @Fork(jvmArgsAppend = "-XX:+UseZGC") of a ZGC baseline.
        assertThat(inherited.getJvmArgsAppend().hasValue()).isFalse();
        assertThat(inherited.getJvmArgs().get()).containsSubsequence(
                ManagementFactory.getRuntimeMXBean().getInputArguments())
                .endsWith("-Dgolab.trials=/tmp/runs/x/trials", "-Dgolab.seed=7");
        assertThat(given.getJvmArgs().get()).containsExactly("-Xmx1g", "-Dgolab.trials=/tmp/runs/x/trials",
                "-Dgolab.seed=7");
    }

    @Test
    void jvmArgsGetTheRequiredFlagsPrepended() throws Exception {
        Options options = new CommandLineOptions("-jvmArgs", "-Xmx1g -XX:+UseSerialGC");

        Options completed = ForkJvmFlags.prependRequired(options);

        assertThat(ForkJvmFlags.replacesInheritedFlags(options)).isTrue();
        assertThat(completed.getJvmArgsPrepend().get()).containsExactlyElementsOf(ForkJvmFlags.REQUIRED);
        assertThat(completed.getJvmArgs().get()).containsExactly("-Xmx1g", "-XX:+UseSerialGC");
    }

    @Test
    void theUsersOwnPrependFollowsTheRequiredFlags() throws Exception {
        Options options = new CommandLineOptions("-jvmArgs", "-Xmx1g", "-jvmArgsPrepend", "-Dfirst=1",
                "-jvmArgsAppend", "-Dlast=1", "-f", "3", "-p", "gomaxprocs=1,2");

        Options completed = ForkJvmFlags.prependRequired(options);

        assertThat(completed.getJvmArgsPrepend().get()).containsExactly(
                "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-Dfirst=1");
        assertThat(completed.getJvmArgsAppend().get()).containsExactly("-Dlast=1");
        assertThat(completed.getForkCount().get()).isEqualTo(3);
        assertThat(completed.getParameter("gomaxprocs").get()).containsExactly("1", "2");
    }

    @Test
    void theTestJvmExportsContinuationsLikeTheLauncher() {
        assertThat(ForkJvmFlags.hostExportsContinuations()).isTrue();
        ForkJvmFlags.requireOnHost();
    }

    @Test
    void requiredFlagsAreOneArgumentEach() {
        // JMH hands each element to the fork as one argument, so a flag and its value are joined by '='.
        assertThat(ForkJvmFlags.REQUIRED).allMatch(flag -> flag.startsWith("--") && flag.contains("=") && !flag.contains(" "));
    }
}

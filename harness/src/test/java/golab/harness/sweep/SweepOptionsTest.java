package golab.harness.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import golab.harness.CommandLineRun;
import golab.harness.Golab;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class SweepOptionsTest {

    @Test
    void defaultsAreAQuickSweepOfTheMainSideBySideBenchmarksAtOneAndTwo() {
        SweepSettings settings = parse().settings();

        assertThat(settings.include()).containsExactly(SweepCommand.QUICK_SET);
        assertThat(java.util.regex.Pattern.compile(SweepCommand.QUICK_SET).matcher(
                "golab.workloads.chan.PingPongBench.golabPingPong").find()).isTrue();
        assertThat(java.util.regex.Pattern.compile(SweepCommand.QUICK_SET).matcher(
                "golab.workloads.lab.RequestServer.serve").find()).isTrue();
        assertThat(java.util.regex.Pattern.compile(SweepCommand.QUICK_SET).matcher(
                "golab.workloads.heap.AllocBench.golabAlloc").find()).isFalse();
        assertThat(settings.exclude()).isEmpty();
        assertThat(settings.gomaxprocs().values()).containsExactly(1, 2);
        assertThat(settings.forks()).isEqualTo(1);
        assertThat(settings.warmupIterations()).isEqualTo(2);
        assertThat(settings.warmupTime()).isEqualTo(new IterationTime(1, TimeUnit.SECONDS));
        assertThat(settings.iterations()).isEqualTo(3);
        assertThat(settings.iterationTime()).isEqualTo(new IterationTime(1, TimeUnit.SECONDS));
    }

    @Test
    void optionsOverrideTheDefaults() {
        SweepCommand sweep = parse("--include", "sched", "--include", "chan", "--exclude", "Slow",
                "--gomaxprocs", "4, 1,2", "--forks", "3", "--warmup-iterations", "0", "--warmup-time", "500ms",
                "--iterations", "5", "--iteration-time", "2min", "--out", "/tmp/golab-runs");
        SweepSettings settings = sweep.settings();

        assertThat(settings.include()).containsExactly("sched", "chan");
        assertThat(settings.exclude()).containsExactly("Slow");
        assertThat(settings.gomaxprocs().values()).containsExactly(4, 1, 2);
        assertThat(settings.forks()).isEqualTo(3);
        assertThat(settings.warmupIterations()).isZero();
        assertThat(settings.warmupTime()).hasToString("500ms");
        assertThat(settings.iterations()).isEqualTo(5);
        assertThat(settings.iterationTime()).hasToString("2min");
        assertThat(sweep.runsDirectory()).isEqualTo(Path.of("/tmp/golab-runs"));
    }

    @Test
    void withoutOutRunsGoToTheRepositorysResults() {
        assertThat(parse().runsDirectory()).endsWithRaw(Path.of("results", "runs"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
        "--gomaxprocs; 0; '0' is not positive",
        "--gomaxprocs; x; 'x' is not an integer",
        "--gomaxprocs; -1; '-1' is not positive",
        "--gomaxprocs; 1,,2; an empty item",
        "--gomaxprocs; 1,2,1; '1' is listed twice",
        "--gomaxprocs; 1.5; '1.5' is not an integer",
    })
    void malformedGomaxprocsIsAUsageErrorNamingTheAllowedValues(String option, String value, String problem) {
        CommandLineRun run = CommandLineRun.of("sweep", option, value);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'--gomaxprocs'", problem, GomaxprocsList.ALLOWED);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
        "--forks; 0; expected an integer >= 1",
        "--forks; two; expected an integer >= 1",
        "--iterations; 0; expected an integer >= 1",
        "--warmup-iterations; -1; expected an integer >= 0",
        "--warmup-time; 1h; ns, us, ms, s or min",
        "--iteration-time; 0s; ns, us, ms, s or min",
        "--iteration-time; fast; ns, us, ms, s or min",
        "--include; golab(; not a Java regular expression",
    })
    void otherMalformedValuesAreUsageErrorsNamingOptionAndAllowedValues(String option, String value, String allowed) {
        CommandLineRun run = CommandLineRun.of("sweep", option, value);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'" + option + "'", "'" + value + "'", allowed, "See 'golab sweep --help'.");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CommandLineRun run = CommandLineRun.of("sweep", "--gomaxproc", "1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown options: '--gomaxproc'", "Possible solutions: --gomaxprocs");
    }

    @Test
    void iterationTimesConvertToJmh() {
        assertThat(IterationTime.parse("250ms").toTimeValue().convertTo(TimeUnit.MILLISECONDS)).isEqualTo(250);
        assertThat(IterationTime.parse("2min").toDuration()).hasSeconds(120);
        assertThat(GomaxprocsList.parse("1,2,16").asParameterValues()).containsExactly("1", "2", "16");
    }

    @Test
    void theEstimateCountsForksIterationsAndForkStartUp() {
        SweepSettings settings = parse("--forks", "2").settings();

        // Per fork 1.5 s start-up + 2 × 1 s warmup + 3 × 1 s measurement = 6.5 s; 2 forks × 10 runs.
        assertThat(settings.estimatedDuration(10)).hasMillis(130_000);
    }

    private static SweepCommand parse(String... options) {
        CommandLine golab = Golab.commandLine();
        List<String> args = new ArrayList<>(List.of("sweep"));
        args.addAll(List.of(options));
        golab.parseArgs(args.toArray(String[]::new));
        return golab.getSubcommands().get("sweep").getCommand();
    }
}

package golab.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import golab.harness.report.Column;
import golab.harness.report.Contender;
import golab.harness.report.GoBenchResult;
import golab.harness.report.RunKey;
import golab.harness.sweep.SweepPlan;
import golab.workloads.SideBySide;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/** The table of golab micro-benchmarks and their Go twins ({@link GoTwins#MICRO}), both ways, and the go test runs made from it. */
class GoMicroTwinsTest {

    private static final Path GO_MODULE = Path.of(System.getProperty("basedir", "."))
            .resolve("..").resolve("workloads").resolve("go").normalize();
    private static final String CHAN = "golab.workloads.chan.";

    @Test
    void everyGolabSideBySideBenchmarkOfTheChanPackageHasAGoTwin() {
        List<String> missing = new ArrayList<>();
        for (BenchmarkListEntry entry : chanGolabBenchmarks()) {
            if (!GoTwins.MICRO.containsKey(entry.getUsername())) {
                missing.add(entry.getUsername());
            }
        }
        assertThat(missing)
                .as("side-by-side benchmarks in golab.workloads.chan without a Go twin: write one in "
                        + "workloads/go/micro/micro_test.go and add it to GoTwins.MICRO")
                .isEmpty();
    }

    @Test
    void everyTwinNamesAnExistingBenchmarkOnBothSides() throws IOException {
        String goSource = Files.readString(GO_MODULE.resolve("micro").resolve("micro_test.go"));
        List<String> golab = SweepPlan.selected(List.of("^golab\\."), List.of()).stream()
                .map(BenchmarkListEntry::getUsername).toList();
        GoTwins.MICRO.forEach((benchmark, go) -> {
            assertThat(golab).as("a JMH benchmark named in GoTwins.MICRO").contains(benchmark);
            assertThat(goSource).as("the Go twin of " + benchmark + " in micro_test.go")
                    .contains("func " + go + "(b *testing.B) {");
        });
        assertThat(new TreeSet<>(GoTwins.MICRO.values())).as("one Go twin per golab benchmark")
                .hasSameSizeAs(GoTwins.MICRO.values());
    }

    @Test
    void parametersOtherThanGomaxprocsAreSubBenchmarkLevels() {
        RunKey select = RunKey.of(CHAN + "SelectBench.golabSelect", "avgt", Map.of("gomaxprocs", "2", "cases", "4"));
        RunKey pingPong = RunKey.of(CHAN + "PingPongBench.golabPingPong", "avgt", Map.of("gomaxprocs", "1"));
        RunKey virtual = RunKey.of(CHAN + "PingPongBench.virtualThreadsPingPong", "avgt", Map.of("gomaxprocs", "1"));

        assertThat(GoTwins.goBenchmarkOf(select)).contains("BenchmarkSelect/cases=4");
        assertThat(GoTwins.goBenchmarkOf(pingPong)).contains("BenchmarkPingPong");
        assertThat(GoTwins.goBenchmarkOf(virtual)).isEmpty();

        assertThat(GoTwins.twinResult("BenchmarkSelect/cases=4", 2, List.of(300.0)))
                .hasValueSatisfying(r -> assertThat(r.twinOf(select)).isTrue());
        assertThat(GoTwins.twinResult("BenchmarkPingPong", 1, List.of(220.0)))
                .hasValueSatisfying(r -> assertThat(r.twinOf(pingPong)).isTrue());
        assertThat(GoTwins.twinResult("BenchmarkPingPong", 2, List.of(220.0)))
                .hasValueSatisfying(r -> assertThat(r.twinOf(pingPong)).isFalse());
        assertThat(GoTwins.twinResult("BenchmarkChanSync", 1, List.of(1.0))).isEmpty();
    }

    @Test
    void goResultLinesAreGatheredPerBenchmarkAndGomaxprocs() {
        List<GoBenchResult> results = GoTwins.results(GoBenchOutput.parse(GoBenchOutputTest.OUTPUT));

        assertThat(results).extracting(GoBenchResult::goBenchmark, r -> r.params().get(Column.GOMAXPROCS),
                        GoBenchResult::nsPerOp)
                .startsWith(
                        tuple("BenchmarkPingPong", "1", List.of(425.9, 341.5)),
                        tuple("BenchmarkPingPong", "2", List.of(302.9, 361.1)),
                        tuple("BenchmarkBufferedChan/pairs=1", "1", List.of(51.71)));
        assertThat(results.get(1).benchmark()).isEqualTo(CHAN + "PingPongBench.golabPingPong");
        assertThat(results.get(1).medianNsPerOp()).isEqualTo((302.9 + 361.1) / 2);
        assertThat(results.get(2).params()).containsEntry("pairs", "1").containsEntry("gomaxprocs", "1");
    }

    @TempDir
    Path directory;

    @Test
    void goTestRunsWithTheRunsGomaxprocsSamplesAndIterationTime() throws IOException {
        Path jmh = directory.resolve("jmh.json");
        Files.writeString(jmh, "[" + String.join(",",
                run("PingPongBench.golabPingPong", "avgt", "\"gomaxprocs\": \"1\""),
                run("PingPongBench.golabPingPong", "avgt", "\"gomaxprocs\": \"2\""),
                run("PingPongBench.virtualThreadsPingPong", "avgt", "\"gomaxprocs\": \"2\""),
                run("SelectBench.golabSelect", "avgt", "\"gomaxprocs\": \"2\", \"cases\": \"2\""),
                run("SelectBench.golabSelect", "thrpt", "\"gomaxprocs\": \"1\", \"cases\": \"4\"")) + "]");

        List<GoTwins.MicroInvocation> invocations = GoTwins.microInvocations(GoTwins.measuredRuns(jmh));

        // Go would skip BenchmarkPingPong under a two-level -bench pattern: one run per depth.
        assertThat(invocations).extracting(GoTwins.MicroInvocation::command).containsExactly(
                List.of("go", "test", "-run", "^$", "-bench", "^(BenchmarkPingPong)$", "-cpu", "1,2", "-count", "6",
                        "-benchtime", "500ms", "-timeout", invocations.get(0).timeoutSeconds() + "s", "./micro"),
                List.of("go", "test", "-run", "^$", "-bench", "^(BenchmarkSelect)$/^(cases=2)$", "-cpu", "2",
                        "-count", "6", "-benchtime", "500ms", "-timeout", invocations.get(1).timeoutSeconds() + "s",
                        "./micro"));
        assertThat(invocations).allSatisfy(go -> assertThat(go.timeoutSeconds()).isGreaterThanOrEqualTo(600));
        assertThat(GoTwins.goDuration(1_000_000_000L)).isEqualTo("1s");
        assertThat(GoTwins.goDuration(1_500_000_000L)).isEqualTo("1500ms");
        assertThat(GoTwins.goDuration(20_000L)).isEqualTo("20us");
    }

    /**
     * Every Go twin, at every value of the Java side's parameters and GOMAXPROCS 1 and 2, runs once
     * ({@code -benchtime 1x}, in the go test runs the harness would make) and its result maps back onto its JMH
     * run. Needs {@code go} on the PATH.
     */
    @Test
    void everyTwinRunsOnGoAndMapsBackToItsJmhRun() throws Exception {
        assumeTrue(goOnPath(), "the Go toolchain (`go` on the PATH) runs the Go twins");
        List<RunKey> planned = SweepPlan.of(chanGolabBenchmarks(), Map.of(Column.GOMAXPROCS, List.of("1", "2"))).runs();
        List<GoTwins.MeasuredRun> measured = planned.stream().map(key -> new GoTwins.MeasuredRun(key, 1, 1)).toList();
        StringBuilder output = new StringBuilder();
        for (GoTwins.MicroInvocation invocation : GoTwins.microInvocations(measured)) {
            GoTwins.MicroInvocation once = new GoTwins.MicroInvocation(invocation.goBenchmarks(),
                    invocation.gomaxprocs(), 1, "1x", 300);
            int exit = GoTwins.runMicro(once, GO_MODULE, output, new PrintWriter(new StringWriter()));
            assertThat(exit).as(output.toString()).isZero();
        }

        List<GoBenchResult> results = GoTwins.results(GoBenchOutput.parse(output.toString()));
        for (RunKey key : planned) {
            assertThat(results.stream().filter(r -> r.twinOf(key)).count())
                    .as("Go's results for " + key.describe() + " in:\n" + output).isEqualTo(1);
        }
        assertThat(results).hasSameSizeAs(planned);
    }

    /** The golab methods of the side-by-side benchmarks in golab.workloads.chan, from JMH's compiled list. */
    private static List<BenchmarkListEntry> chanGolabBenchmarks() {
        List<BenchmarkListEntry> golab = new ArrayList<>();
        for (BenchmarkListEntry entry : SweepPlan.selected(List.of("^golab\\.workloads\\.chan\\."), List.of())) {
            String method = entry.getUsername().substring(entry.getUsername().lastIndexOf('.') + 1);
            if (isSideBySide(entry.getUserClassQName())
                    && Contender.of(method).filter(m -> m.contender() == Contender.GOLAB).isPresent()) {
                golab.add(entry);
            }
        }
        assertThat(golab).as("golab side-by-side benchmarks in golab.workloads.chan").isNotEmpty();
        return golab;
    }

    private static boolean isSideBySide(String className) {
        try {
            return SideBySide.class.isAssignableFrom(
                    Class.forName(className, false, GoMicroTwinsTest.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            throw new AssertionError("JMH lists " + className + " but it is not on the class path", e);
        }
    }

    private static String run(String benchmark, String mode, String params) {
        return """
                {"benchmark": "%s", "mode": "%s", "forks": 2, "measurementIterations": 3, "measurementTime": "500 ms",
                 "params": {%s}, "primaryMetric": {"score": 300.0, "scoreError": 10.0, "scoreUnit": "ns/op"}}
                """.formatted(CHAN + benchmark, mode, params);
    }

    private static boolean goOnPath() {
        try {
            return new ProcessBuilder("go", "version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}

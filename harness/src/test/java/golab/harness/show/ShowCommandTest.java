package golab.harness.show;

import static org.assertj.core.api.Assertions.assertThat;

import golab.harness.CommandLineRun;
import golab.harness.report.GoBenchFile;
import golab.harness.report.GoBenchResult;
import golab.harness.run.RecordedRuns;
import golab.harness.run.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShowCommandTest {

    @TempDir
    Path runs;

    @Test
    void eachTrialsStreamsAreSummarisedOverTheMeasurementIterations() throws Exception {
        RunFolder folder = RecordedRuns.finished(runs);

        CommandLineRun show = CommandLineRun.of("show", folder.path().toString());

        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains(
                "| RequestServer.serve | rate=5000 | fork-1 | latency | 2 | 1.000 | 3.000 | 3.000 | 3.000 |",
                "| RequestServer.serve | rate=6000 | fork-1 | latency | 2 |");
    }

    @Test
    void microBenchmarksAreShownBesideTheirGoTwins() throws Exception {
        RunFolder folder = pingPongRun(runs, 410.0, List.of(302.9, 361.1, 340.0));

        CommandLineRun show = CommandLineRun.of("show", folder.path().toString());

        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains(
                "| PingPongBench.golabPingPong | 2 | 410 ± 12 | 2050 ± 150 | 340.0 (3) | 1.21 | ns/op |");
    }

    @Test
    void benchmarksWithoutAGoTwinAreShownWithTheirOwnScores() throws Exception {
        RunFolder folder = pingPongRun(runs, 410.0, List.of(340.0));
        String pingPong = Files.readString(folder.jmhResult());
        Files.writeString(folder.jmhResult(), pingPong.substring(0, pingPong.lastIndexOf(']')) + """
                 ,{"benchmark": "golab.workloads.chan.ContinuationSwitchBench.bareRoundTrip", "mode": "avgt",
                  "params": {},
                  "primaryMetric": {"score": 301.5, "scoreError": 7.25, "scoreUnit": "ns/op"}}]
                """);

        CommandLineRun show = CommandLineRun.of("show", folder.path().toString());

        assertThat(show.exitCode()).as(show.err()).isZero();
        String others = show.out().substring(show.out().indexOf("other benchmarks"));
        assertThat(others).contains("golab.workloads.chan.ContinuationSwitchBench:", "| bareRoundTrip | avgt | 301.5 ± 7.3 |")
                .doesNotContain("PingPong");
    }

    @Test
    void severalRunsAreSetSideBySideWithTheMedianRatio() throws Exception {
        RunFolder first = pingPongRun(Files.createDirectory(runs.resolve("a")), 410.0, List.of(340.0));
        RunFolder second = pingPongRun(Files.createDirectory(runs.resolve("b")), 500.0, List.of(250.0));
        RunFolder third = pingPongRun(Files.createDirectory(runs.resolve("c")), 450.0, List.of(300.0));

        CommandLineRun show = CommandLineRun.of("show", first.path().toString(), second.path().toString(),
                third.path().toString());

        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("golab / Go in each of 3 runs",
                "| PingPongBench.golabPingPong | 2 | 1.21 2.00 1.50 | 1.50 | 3 |");
    }

    @Test
    void helpIsAnsweredWithoutARun() {
        CommandLineRun show = CommandLineRun.of("show", "--help");

        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("Usage: golab show [-hV] RUN...");
    }

    @Test
    void severalRunsWithoutGoResultsAreRefused() throws Exception {
        RunFolder first = RecordedRuns.finished(Files.createDirectory(runs.resolve("a")));
        RunFolder second = RecordedRuns.finished(Files.createDirectory(runs.resolve("b")));

        CommandLineRun show = CommandLineRun.of("show", first.path().toString(), second.path().toString());

        assertThat(show.exitCode()).isEqualTo(1);
        assertThat(show.err()).contains("none of the 2 runs has a golab micro-benchmark beside its Go twin");
    }

    /** A finished run whose JMH result is a ping-pong pair at GOMAXPROCS=2, with Go's twin beside it. */
    private static RunFolder pingPongRun(Path runs, double golabNanos, List<Double> goNanos) throws Exception {
        RunFolder folder = RecordedRuns.finished(runs);
        Files.writeString(folder.jmhResult(), """
                [{"benchmark": "golab.workloads.chan.PingPongBench.golabPingPong", "mode": "avgt",
                  "params": {"gomaxprocs": "2"},
                  "primaryMetric": {"score": %s, "scoreError": 12.0, "scoreUnit": "ns/op"}},
                 {"benchmark": "golab.workloads.chan.PingPongBench.virtualThreadsPingPong", "mode": "avgt",
                  "params": {"gomaxprocs": "2"},
                  "primaryMetric": {"score": 2050.0, "scoreError": 150.0, "scoreUnit": "ns/op"}}]
                """.formatted(golabNanos));
        Files.writeString(folder.goBenchResult(), new GoBenchFile("go version go1.19.8 linux/amd64",
                List.of(new GoBenchFile.Invocation(List.of("go", "test"), 0)),
                List.of(GoBenchResult.of("golab.workloads.chan.PingPongBench.golabPingPong", "BenchmarkPingPong",
                        Map.of("gomaxprocs", "2"), goNanos))).toJson());
        return folder;
    }

    @Test
    void aMalformedGoResultIsRefusedNamingTheFile() throws Exception {
        RunFolder folder = RecordedRuns.finished(runs);
        Files.writeString(folder.goBenchResult(), "{\"results\": 3}");

        CommandLineRun show = CommandLineRun.of("show", folder.path().toString());

        assertThat(show.exitCode()).isEqualTo(1);
        assertThat(show.err()).contains("golab show: " + folder.goBenchResult() + ": not a Go benchmark result");
    }

    @Test
    void anIncompleteRunIsRefusedNamingTheFile() throws Exception {
        RunFolder folder = RecordedRuns.finished(runs);
        Files.delete(folder.jmhResult());

        CommandLineRun show = CommandLineRun.of("show", folder.path().toString());

        assertThat(show.exitCode()).isEqualTo(1);
        assertThat(show.err()).contains("golab show: " + folder.jmhResult() + ": missing");
    }
}

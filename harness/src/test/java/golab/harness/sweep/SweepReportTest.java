package golab.harness.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import golab.harness.report.FailedRun;
import golab.harness.report.GoBenchResult;
import golab.harness.report.JmhResult;
import golab.harness.report.RunKey;
import golab.harness.report.RunOutcome;
import golab.harness.run.GitState;
import golab.harness.run.JdkInfo;
import golab.harness.run.MachineInfo;
import golab.harness.run.RecordedRuns;
import golab.harness.run.RunFolder;
import golab.harness.run.RunManifest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepReportTest {

    private static final SweepSettings SETTINGS = new SweepSettings(List.of("golab\\.workloads\\..*"), List.of(),
            GomaxprocsList.parse("1,2"), 1, 2, new IterationTime(1, TimeUnit.SECONDS), 3,
            new IterationTime(1, TimeUnit.SECONDS));

    private static final RunManifest<SweepSettings> MANIFEST = RunManifest.started("20261127T105500Z",
                    List.of("golab", "sweep"), SETTINGS,
                    new JdkInfo("25.0.3", "Eclipse Adoptium", "OpenJDK 64-Bit Server VM", "25.0.3+9-LTS", "/jdk", List.of()),
                    new MachineInfo("AMD EPYC 7B13", 2, 24L << 30, "Linux 6.18 (amd64)"),
                    new GitState("0123456789abcdef0123456789abcdef01234567", false), "1.37", 1, List.of(),
                    Instant.parse("2026-11-27T10:55:00Z"))
            .completed(Instant.parse("2026-11-27T10:58:00Z"), List.of());

    private static final String SPAWN = "golab.workloads.sched.SpawnBench.";

    private static final List<RunOutcome> OUTCOMES = List.of(
            result(SPAWN + "golabSpawn", "1", 2400, 120),
            result(SPAWN + "golabSpawn", "2", 4000, 200),
            result(SPAWN + "virtualThreadsSpawn", "1", 4800, 96),
            result(SPAWN + "virtualThreadsSpawn", "2", 5000, 100),
            new FailedRun(RunKey.of(SPAWN + "golabYield", "thrpt", Map.of("gomaxprocs", "2"))));

    /** A sweep of micro-benchmarks records no trials: there is no trials folder. */
    private final String report = SweepReport.render(MANIFEST, OUTCOMES, Path.of("/nonexistent/trials"), List.of());

    @Test
    void startsWithWhatWasMeasuredOnWhat() {
        assertThat(report).startsWith("# golab sweep 20261127T105500Z\n")
                .contains("- Status: complete, started 2026-11-27T10:55:00Z, ended 2026-11-27T10:58:00Z")
                .contains("- Benchmarks: matching `golab\\.workloads\\..*`; gomaxprocs 1,2")
                .contains("- JMH 1.37: 1 fork, warmup 2 × 1s, measurement 3 × 1s")
                .contains("- JDK 25.0.3 (Eclipse Adoptium, OpenJDK 64-Bit Server VM 25.0.3+9-LTS)")
                .contains("- Machine: AMD EPYC 7B13, 2 cores, Linux 6.18 (amd64)")
                .contains("- Source: commit 0123456789abcdef0123456789abcdef01234567\n")
                .contains("4 of 5 planned runs produced a result.");
    }

    @Test
    void tabulatesEachClassAcrossGomaxprocsWithRatiosToTheBaseline() {
        assertThat(report).contains("""
                ## golab.workloads.sched.SpawnBench

                | Benchmark | Mode | gomaxprocs=1 | gomaxprocs=2 | Unit |
                |---|---|---:|---:|---|
                | golabSpawn | thrpt | 2400 ± 120 | 4000 ± 200 | ops/ms |
                | golabYield | thrpt | — | failed |  |
                | virtualThreadsSpawn | thrpt | 4800 ± 96 | 5000 ± 100 | ops/ms |
                """);
        assertThat(report).contains("| golabSpawn / virtualThreadsSpawn | thrpt | > 1 | 0.500 | 0.800 |");
    }

    @Test
    void endsWithTheRunsThatFailed() {
        assertThat(report).endsWith("""
                ## Runs without a result

                The benchmark threw or its fork died; JMH's console output of the sweep shows why.

                - golab.workloads.sched.SpawnBench.golabYield thrpt gomaxprocs=2
                """);
    }

    @Test
    void theManifestRecordsTheSweepSettings() throws Exception {
        JsonNode json = new ObjectMapper().readTree(MANIFEST.toJson());

        assertThat(json.get("parameters").toString()).isEqualTo(
                "{\"include\":[\"golab\\\\.workloads\\\\..*\"],\"exclude\":[],\"gomaxprocs\":[1,2],\"forks\":1,"
                        + "\"warmupIterations\":2,\"warmupTime\":\"1s\",\"iterations\":3,\"iterationTime\":\"1s\"}");
    }

    private static JmhResult result(String benchmark, String gomaxprocs, double score, double error) {
        return new JmhResult(RunKey.of(benchmark, "thrpt", Map.of("gomaxprocs", gomaxprocs)), score, error, "ops/ms");
    }

    @Test
    void summarisesTheTrialsOfLabWorkloads(@TempDir Path runs) throws Exception {
        RunFolder run = RecordedRuns.finished(runs);

        String withTrials = SweepReport.render(MANIFEST, OUTCOMES, run.trials(), List.of());

        assertThat(withTrials).contains("## Recorded trials",
                "| RequestServer.serve | rate=5000 | fork-1 | latency | 2 | 1.000 | 3.000 | 3.000 | 3.000 |");
        assertThat(report).doesNotContain("## Recorded trials");
    }

    @Test
    void setsGoBesideGolabForBenchmarksWhoseGoTwinRan() {
        String pingPong = "golab.workloads.chan.PingPongBench.";
        List<RunOutcome> outcomes = List.of(
                new JmhResult(RunKey.of(pingPong + "golabPingPong", "avgt", Map.of("gomaxprocs", "1")), 330, 15, "ns/op"),
                new JmhResult(RunKey.of(pingPong + "virtualThreadsPingPong", "avgt", Map.of("gomaxprocs", "1")), 1200,
                        60, "ns/op"));
        List<GoBenchResult> go = List.of(GoBenchResult.of(pingPong + "golabPingPong", "BenchmarkPingPong",
                Map.of("gomaxprocs", "1"), List.of(210.0, 220.0, 250.0)));

        String withGo = SweepReport.render(MANIFEST, outcomes, Path.of("/nonexistent/trials"), go);

        assertThat(withGo).contains("golab beside its Go twin",
                "| PingPongBench.golabPingPong | 1 | 330 ± 15 | 1200 ± 60 | 220.0 (3) | 1.50 | ns/op |");
        assertThat(report).doesNotContain("golab beside its Go twin");
    }
}

package golab.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.workloads.record.IntervalRecorder;
import golab.workloads.record.TrialFolder;
import golab.workloads.record.TrialRecording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredRunTest {

    private static final String BENCHMARK = "golab.workloads.lab.RequestServer.serve";
    private static final String JMH_JSON = """
            [{"benchmark": "golab.workloads.lab.RequestServer.serve", "mode": "avgt", "params": {"rate": "5000"},
              "primaryMetric": {"score": 100.5, "scoreError": 0.4, "scoreUnit": "ms/op"}}]
            """;

    @TempDir
    Path runs;

    @Test
    void aFinishedRunReadsBackWithItsTrials() throws IOException {
        RunFolder folder = finishedRun();

        StoredRun run = StoredRun.read(folder.path());

        assertThat(run.manifest().status()).isEqualTo(RunStatus.COMPLETE);
        assertThat(run.manifest().parameters().get("jmhArguments").get(0).asText()).isEqualTo("RequestServer");
        assertThat(run.results()).singleElement().satisfies(r -> assertThat(r.score()).isEqualTo(100.5));
        assertThat(run.trialsOf(BENCHMARK)).hasSize(2);
        StoredTrial trial = run.trials().getFirst();
        assertThat(trial.measurement("latency").getTotalCount()).isEqualTo(2);
        assertThat(trial.measurement("latency").getMaxValue()).isBetween(2_990_000L, 3_010_000L);
    }

    @Test
    void anInterruptedRunIsRejectedNamingItsManifest() throws IOException {
        RunFolder folder = finishedRun();
        started(folder).writeTo(folder.manifest());

        assertThatThrownBy(() -> StoredRun.read(folder.path())).isInstanceOf(MalformedRunException.class)
                .hasMessageStartingWith(folder.manifest() + ": the run is incomplete");
    }

    @Test
    void malformedFilesAreRejectedByName() throws IOException {
        RunFolder folder = finishedRun();
        Files.writeString(folder.jmhResult(), "{\"not\": \"an array\"}");
        assertThatThrownBy(() -> StoredRun.read(folder.path())).hasMessageStartingWith(folder.jmhResult() + ": not a JMH");

        Files.writeString(folder.jmhResult(), JMH_JSON);
        Path hlog = trial(folder, 1).hlog("latency");
        List<String> lines = Files.readAllLines(hlog);
        Files.write(hlog, lines.subList(0, lines.size() - 1));
        assertThatThrownBy(() -> StoredRun.read(folder.path())).hasMessageStartingWith(hlog + ": 1 intervals for 2");

        Files.writeString(hlog, String.join("\n", lines.subList(0, lines.size() - 1)) + "\nTag=measurement,1.0,0.5,"
                + "3.0,HISTFAAAAB\n");
        assertThatThrownBy(() -> StoredRun.read(folder.path()))
                .hasMessageStartingWith(hlog + ": not a readable HdrHistogram log");

        Files.writeString(folder.manifest(), "{\"id\": ");
        assertThatThrownBy(() -> StoredRun.read(folder.path()))
                .hasMessageStartingWith(folder.manifest() + ": not a run manifest");
    }

    @Test
    void aTrialCutShortIsRejectedNamingIt() throws IOException {
        RunFolder folder = finishedRun();
        TrialRecording cutShort = TrialRecording.open(folder.trials(), BENCHMARK, Map.of("rate", "9000"));
        cutShort.recorder("latency");
        cutShort.beginIteration();
        cutShort.endIteration(true);

        assertThatThrownBy(() -> StoredRun.read(folder.path())).isInstanceOf(MalformedRunException.class)
                .hasMessage(cutShort.folder().trial() + ": the trial is incomplete (its fork was cut short after 1 "
                        + "iterations)");
    }

    @Test
    void aMissingFolderOrManifestIsNamed() throws IOException {
        assertThatThrownBy(() -> StoredRun.read(runs.resolve("nope"))).hasMessage(runs.resolve("nope")
                + ": not a run folder (no such directory)");
        Path empty = Files.createDirectory(runs.resolve("empty"));
        assertThatThrownBy(() -> StoredRun.read(empty)).hasMessageStartingWith(empty.resolve("manifest.json")
                + ": missing");
    }

    /** A complete run folder with two trials of two iterations each, recorded by the workloads' own classes. */
    private RunFolder finishedRun() throws IOException {
        RunFolder folder = RunFolder.create(runs, Instant.parse("2026-11-27T10:55:00Z"));
        for (String rate : List.of("5000", "6000")) {
            TrialRecording trial = TrialRecording.open(folder.trials(), BENCHMARK, Map.of("rate", rate));
            IntervalRecorder latency = trial.recorder("latency");
            for (boolean warmup : List.of(true, false)) {
                trial.beginIteration();
                latency.recordValue(warmup ? 1_000_000 : 3_000_000);
                latency.recordValue(1_000_000);
                trial.endIteration(warmup);
            }
            trial.close();
        }
        Files.writeString(folder.jmhResult(), JMH_JSON);
        started(folder).completed(Instant.parse("2026-11-27T10:56:00Z"), List.of()).writeTo(folder.manifest());
        return folder;
    }

    private static RunManifest<Map<String, List<String>>> started(RunFolder folder) {
        return RunManifest.started(folder.id(), List.of("golab", "bench", "RequestServer"),
                Map.of("jmhArguments", List.of("RequestServer")), JdkInfo.current(), MachineInfo.current(), null,
                "1.37", List.of(BENCHMARK + " avgt rate=5000"), Instant.parse("2026-11-27T10:55:00Z"));
    }

    private static TrialFolder trial(RunFolder folder, int rateIndex) {
        return new TrialFolder(folder.trials().resolve(BENCHMARK).resolve("rate=" + (rateIndex == 0 ? "5000" : "6000"))
                .resolve("fork-1"));
    }
}

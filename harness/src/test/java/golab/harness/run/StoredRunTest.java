package golab.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import golab.workloads.record.TrialFolder;
import golab.workloads.record.TrialRecording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredRunTest {

    @TempDir
    Path runs;

    @Test
    void aFinishedRunReadsBackWithItsTrials() throws IOException {
        RunFolder folder = RecordedRuns.finished(runs);

        StoredRun run = StoredRun.read(folder.path());

        assertThat(run.manifest().status()).isEqualTo(RunStatus.COMPLETE);
        assertThat(run.manifest().parameters().get("jmhArguments").get(0).asText()).isEqualTo("RequestServer");
        assertThat(run.results()).singleElement().satisfies(r -> assertThat(r.score()).isEqualTo(100.5));
        assertThat(run.trialsOf(RecordedRuns.BENCHMARK)).hasSize(2);
        StoredTrial trial = run.trials().getFirst();
        assertThat(trial.measurement("latency").getTotalCount()).isEqualTo(2);
        assertThat(trial.measurement("latency").getMaxValue()).isBetween(2_990_000L, 3_010_000L);
    }

    @Test
    void anInterruptedRunIsRejectedNamingItsManifest() throws IOException {
        RunFolder folder = RecordedRuns.finished(runs);
        RecordedRuns.started(folder).writeTo(folder.manifest());

        assertThatThrownBy(() -> StoredRun.read(folder.path())).isInstanceOf(MalformedRunException.class)
                .hasMessageStartingWith(folder.manifest() + ": the run is incomplete");
    }

    @Test
    void malformedFilesAreRejectedByName() throws IOException {
        RunFolder folder = RecordedRuns.finished(runs);
        Files.writeString(folder.jmhResult(), "{\"not\": \"an array\"}");
        assertThatThrownBy(() -> StoredRun.read(folder.path())).hasMessageStartingWith(folder.jmhResult() + ": not a JMH");

        Files.writeString(folder.jmhResult(), RecordedRuns.JMH_JSON);
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
        RunFolder folder = RecordedRuns.finished(runs);
        TrialRecording cutShort = TrialRecording.open(folder.trials(), RecordedRuns.BENCHMARK,
                Map.of("rate", "9000"));
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

    private static TrialFolder trial(RunFolder folder, int rateIndex) {
        return new TrialFolder(folder.trials().resolve(RecordedRuns.BENCHMARK)
                .resolve("rate=" + (rateIndex == 0 ? "5000" : "6000")).resolve("fork-1"));
    }
}

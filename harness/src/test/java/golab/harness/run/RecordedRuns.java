package golab.harness.run;

import golab.workloads.record.IntervalRecorder;
import golab.workloads.record.TrialRecording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Run folders made the way golab bench makes them, with the workloads' own recording classes, for tests. */
public final class RecordedRuns {

    public static final String BENCHMARK = "golab.workloads.lab.RequestServer.serve";
    static final String JMH_JSON = """
            [{"benchmark": "golab.workloads.lab.RequestServer.serve", "mode": "avgt", "params": {"rate": "5000"},
              "primaryMetric": {"score": 100.5, "scoreError": 0.4, "scoreUnit": "ms/op"}}]
            """;

    private RecordedRuns() {
    }

    /**
     * A complete run folder under {@code runs} with two trials (rate 5000 and 6000) of a warmup and a measurement
     * iteration each; the measurement interval of {@code latency} holds 1 ms and 3 ms.
     */
    public static RunFolder finished(Path runs) throws IOException {
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

    /** The manifest of the run in {@code folder} as it starts: status incomplete. */
    static RunManifest<Map<String, List<String>>> started(RunFolder folder) {
        return RunManifest.started(folder.id(), List.of("golab", "bench", "RequestServer"),
                Map.of("jmhArguments", List.of("RequestServer")), JdkInfo.current(), MachineInfo.current(), null,
                "1.37", 1, List.of(BENCHMARK + " avgt rate=5000"), Instant.parse("2026-11-27T10:55:00Z"));
    }
}

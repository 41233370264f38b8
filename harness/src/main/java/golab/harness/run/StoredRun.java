package golab.harness.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import golab.harness.report.GoBenchFile;
import golab.harness.report.GoBenchResult;
import golab.harness.report.JmhResult;
import golab.harness.report.JmhResultFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A run folder read back ({@code results/runs/<id>/}): the manifest, JMH's results and every trial's
 * recordings. What reports, comparisons and tests read; it accepts only a finished, well-formed run and
 * otherwise fails with a {@link MalformedRunException} naming the file at fault.
 *
 * @param manifest the run's manifest, its command settings left as JSON (they differ between commands)
 * @param results  JMH's primary results, one per benchmark, mode and parameter values
 * @param trials   the recorded trials, sorted by folder
 * @param goBench  what the Go twins of the run's micro-benchmarks measured ({@code go-bench.json}); empty when
 *                 none ran
 */
public record StoredRun(Path folder, RunManifest<JsonNode> manifest, List<JmhResult> results,
                        List<StoredTrial> trials, List<GoBenchResult> goBench) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String MANIFEST = "manifest.json";
    private static final String JMH_RESULT = "jmh.json";
    private static final String GO_BENCH_RESULT = "go-bench.json";

    public StoredRun {
        results = List.copyOf(results);
        trials = List.copyOf(trials);
        goBench = List.copyOf(goBench);
    }

    public static StoredRun read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new MalformedRunException(folder, "not a run folder (no such directory)");
        }
        Path manifestFile = folder.resolve(MANIFEST);
        RunManifest<JsonNode> manifest = readManifest(manifestFile);
        if (manifest.status() != RunStatus.COMPLETE) {
            throw new MalformedRunException(manifestFile, "the run is " + manifest.status().json() + ": it was "
                    + "interrupted or is still running (its finished trials are kept under trials/)");
        }
        Path jmhFile = folder.resolve(JMH_RESULT);
        if (!Files.isRegularFile(jmhFile)) {
            throw new MalformedRunException(jmhFile, "missing, though the manifest says the run is complete");
        }
        List<JmhResult> results;
        try {
            results = JmhResultFile.read(jmhFile);
        } catch (IOException e) {
            throw new MalformedRunException(jmhFile, "not a JMH JSON result", e);
        }
        return new StoredRun(folder, manifest, results, StoredTrial.readAll(folder.resolve("trials")),
                readGoBench(folder.resolve(GO_BENCH_RESULT)));
    }

    /** Go's micro-benchmark results, when the run has them. */
    public static List<GoBenchResult> readGoBench(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return GoBenchFile.read(file).results();
        } catch (IOException e) {
            throw new MalformedRunException(file, "not a Go benchmark result (go-bench.json)", e);
        }
    }

    private static RunManifest<JsonNode> readManifest(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new MalformedRunException(file, "missing: every run folder starts with its manifest");
        }
        RunManifest<JsonNode> manifest;
        try {
            manifest = JSON.readValue(file.toFile(), new TypeReference<RunManifest<JsonNode>>() { });
        } catch (IOException e) {
            throw new MalformedRunException(file, "not a run manifest", e);
        }
        if (manifest.id() == null || manifest.status() == null || manifest.startedAt() == null) {
            throw new MalformedRunException(file, "a run manifest needs id, status and startedAt");
        }
        return manifest;
    }

    /** The trials of {@code benchmark} ({@code package.Class.method}). */
    public List<StoredTrial> trialsOf(String benchmark) {
        return trials.stream().filter(t -> t.manifest().benchmark().equals(benchmark)).toList();
    }
}

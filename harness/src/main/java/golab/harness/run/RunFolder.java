package golab.harness.run;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A run's folder, {@code results/runs/<id>/}: the id is the UTC start time
 * ({@code 20261127T105500Z}), with {@code -2}, {@code -3}... appended when runs start within the
 * same second. Holds {@code manifest.json}, {@code jmh.json} (JMH's own result file, unmodified),
 * {@code trials/} (each trial's recordings, see {@link golab.workloads.record.TrialFolder}), when Go twins of
 * micro-benchmarks ran, {@code go-bench.txt} and {@code go-bench.json}, and, for a sweep, {@code report.md}.
 */
public record RunFolder(String id, Path path) {

    private static final DateTimeFormatter ID_FORMAT =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /**
     * Creates a new, empty folder under {@code runsDirectory} (made if missing). Creating the
     * directory is the atomic claim on the id, so concurrent runs never share a folder.
     */
    public static RunFolder create(Path runsDirectory, Instant start) throws IOException {
        Files.createDirectories(runsDirectory);
        String base = ID_FORMAT.format(start);
        for (int attempt = 1; ; attempt++) {
            String id = attempt == 1 ? base : base + "-" + attempt;
            try {
                return new RunFolder(id, Files.createDirectory(runsDirectory.resolve(id)));
            } catch (FileAlreadyExistsException taken) {
                // Another run started in the same second: try the next suffix.
            }
        }
    }

    public Path manifest() {
        return path.resolve("manifest.json");
    }

    public Path jmhResult() {
        return path.resolve("jmh.json");
    }

    /** The root of the trial folders the forks record into. */
    public Path trials() {
        return path.resolve("trials");
    }

    /** {@code go test -bench}'s output for the Go twins of the run's micro-benchmarks, as Go printed it. */
    public Path goBenchOutput() {
        return path.resolve("go-bench.txt");
    }

    /** The same parsed: per golab benchmark and parameters, Go's ns/op of each run ({@code GoBenchFile}). */
    public Path goBenchResult() {
        return path.resolve("go-bench.json");
    }

    public Path report() {
        return path.resolve("report.md");
    }

    /**
     * Where JMH writes its JSON while the run goes on; moved to {@link #jmhResult()} when JMH
     * is done, so {@code jmh.json} exists only complete. The folder is this run's alone, so a
     * fixed name cannot collide.
     */
    public Path jmhResultInProgress() {
        return path.resolve(".jmh.json.in-progress");
    }
}

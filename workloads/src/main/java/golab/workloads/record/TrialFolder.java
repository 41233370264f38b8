package golab.workloads.record;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where one trial's recordings go: {@code <trials>/<benchmark>/<parameters>/fork-<n>/}, one folder per fork
 * and parameter set, so forks of the same parameters never share a file.
 *
 * <p>{@code <trials>} is {@code trials/} inside the run folder ({@code golab bench} and {@code golab sweep} pass
 * it to the forks as the system property {@value #PROPERTY}); {@code <parameters>} is the trial's JMH
 * parameters as {@code name=value} pairs sorted by name and joined with commas ({@code default} when there are
 * none). JMH tells a benchmark neither its fork number nor its run folder, hence the property and the
 * {@code fork-<n>} folder claimed with an atomic create.
 *
 * <p>The files, all written atomically (a reader never sees half of one):
 * <ul>
 * <li>{@value #TRIAL}: the trial's own manifest ({@link TrialManifest}), {@code incomplete} until the trial ends;</li>
 * <li>{@code <stream>.hlog}: HdrHistogram interval logs in nanoseconds, one interval per JMH iteration tagged
 *     {@value #WARMUP} or {@value #MEASUREMENT};</li>
 * <li>{@value #GCTRACE}: the runtime's {@code GODEBUG=gctrace=1} output (everything it wrote to stderr);</li>
 * <li>{@value #METRICS}: per iteration, a runtime/metrics snapshot and the JVM's own GC activity.</li>
 * </ul>
 */
public record TrialFolder(Path path) {

    /** The system property naming the {@code trials/} folder of the current run. */
    public static final String PROPERTY = "golab.trials";
    public static final String TRIAL = "trial.json";
    public static final String GCTRACE = "gctrace.txt";
    public static final String METRICS = "metrics.json";
    public static final String HLOG_SUFFIX = ".hlog";
    public static final String WARMUP = "warmup";
    public static final String MEASUREMENT = "measurement";

    /** The {@code trials/} folder of the current run: {@value #PROPERTY}, else one under the temporary folder. */
    public static Path trialsRoot() {
        String configured = System.getProperty(PROPERTY);
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "golab-trials");
    }

    /** Claims the next free {@code fork-<n>} folder for this benchmark and parameter set. */
    public static TrialFolder create(Path trialsRoot, String benchmark, Map<String, String> params) throws IOException {
        Path parent = trialsRoot.resolve(safe(benchmark)).resolve(parametersName(params));
        Files.createDirectories(parent);
        for (int fork = 1; ; fork++) {
            try {
                return new TrialFolder(Files.createDirectory(parent.resolve("fork-" + fork)));
            } catch (FileAlreadyExistsException taken) {
                // An earlier fork of the same parameters holds it: try the next number.
            }
        }
    }

    /** {@code a=1,b=x}, sorted by name; {@code default} for a benchmark without parameters. */
    public static String parametersName(Map<String, String> params) {
        if (params.isEmpty()) {
            return "default";
        }
        return new TreeMap<>(params).entrySet().stream()
                .map(e -> safe(e.getKey()) + "=" + safe(e.getValue()))
                .collect(Collectors.joining(","));
    }

    /** Keeps names portable: anything but letters, digits and {@code . _ -} becomes {@code _}. */
    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    public Path trial() {
        return path.resolve(TRIAL);
    }

    public Path gctrace() {
        return path.resolve(GCTRACE);
    }

    public Path metrics() {
        return path.resolve(METRICS);
    }

    public Path hlog(String stream) {
        return path.resolve(stream + HLOG_SUFFIX);
    }
}

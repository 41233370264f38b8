package golab.harness.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import golab.workloads.record.TrialFolder;
import golab.workloads.record.TrialManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs real Go beside golab: after a {@code golab bench} run, for each parameter set of a workload that has a
 * Go twin in {@code workloads/go} (the request server, the live-heap churn), the twin runs once with the same
 * parameters and iterations into the same {@code trials/} folder, recorded the same way (see
 * {@code workloads/go/README.md}). It needs a Go toolchain on the PATH; without one the run says so and
 * keeps its golab trials.
 */
final class GoTwins {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long BUILD_TIMEOUT_MINUTES = 5;

    /** A golab workload's Go twin: its benchmark name, its folder under {@code workloads/go} and its flags. */
    private record Twin(String benchmark, String program, List<String> flags) {
    }

    /** What a trial ran: warmup and measurement iteration counts and the length of a measurement iteration. */
    private record Iterations(long warmup, long measurement, long lengthMs) {

        static Iterations of(TrialManifest trial) {
            long warmup = trial.iterations().stream().filter(i -> i.type().equals(TrialFolder.WARMUP)).count();
            List<TrialManifest.Iteration> measured = trial.iterations().stream()
                    .filter(i -> i.type().equals(TrialFolder.MEASUREMENT)).toList();
            long length = measured.isEmpty() ? 1000 : measured.getFirst().endMs() - measured.getFirst().startMs();
            return new Iterations(warmup, measured.size(), Math.max(100, Math.round(length / 100.0) * 100));
        }
    }

    private GoTwins() {
    }

    /** The twin of a golab trial with the trial's parameters and iterations, or empty when there is none. */
    private static Optional<Twin> twinOf(TrialManifest trial, Path trials) {
        Map<String, String> p = trial.params();
        Iterations it = Iterations.of(trial);
        return switch (trial.benchmark()) {
            case "golab.workloads.lab.RequestServer.serve" -> "0".equals(p.get("stallMillis"))
                    ? Optional.of(new Twin("go.requestserver", "requestserver", List.of(
                            "-rate", p.get("rate"), "-arrival", p.get("arrival"), "-live", p.get("liveHeap"),
                            "-buffer", p.get("bufferBytes"), "-gomaxprocs", p.get("gomaxprocs"),
                            "-gogc", p.get("gogc"), "-gomemlimit", p.get("gomemlimit"),
                            "-warmup", Long.toString(it.warmup()), "-iterations", Long.toString(it.measurement()),
                            "-iteration", it.lengthMs() + "ms")))
                    : Optional.empty(); // the twin injects no stalls
            case "golab.workloads.gc.LiveHeapChurn.churn" -> {
                // gcchurn's own warm-up (build, prefault, forced collection) is not recorded: its window is the
                // measurement iterations, one interval each. Its summary JSON goes beside its trial folders.
                Path result = trials.resolve("go.gcchurn").resolve(TrialFolder.parametersName(p) + ".json");
                List<String> flags = new ArrayList<>(List.of("-live", p.get("liveHeap"), "-rate", p.get("rate"),
                        "-gomaxprocs", p.get("gomaxprocs"), "-gogc", p.get("gogc"),
                        "-duration", it.measurement() * it.lengthMs() + "ms", "-iteration", it.lengthMs() + "ms",
                        "-out", result.toString()));
                if (!p.get("gomemlimit").equals("off")) {
                    flags.addAll(List.of("-memlimit", p.get("gomemlimit")));
                }
                yield Optional.of(new Twin("go.gcchurn", "gcchurn", flags));
            }
            default -> Optional.empty();
        };
    }

    /**
     * Runs the twins of the trials under {@code trials} with the run's {@code seed}, building them from
     * {@code goModule}; reports to {@code out}.
     */
    static void run(Path trials, Path goModule, long seed, PrintWriter out) throws IOException, InterruptedException {
        Set<List<String>> done = new LinkedHashSet<>();
        for (TrialManifest trial : golabTrials(trials)) {
            Optional<Twin> twin = twinOf(trial, trials);
            if (twin.isEmpty()) {
                continue;
            }
            if (!done.add(twin.get().flags())) {
                continue;
            }
            if (!goOnPath()) {
                out.println("golab bench: no Go toolchain on the PATH, so no Go twin ran for " + trial.benchmark());
                return;
            }
            if (!Files.isRegularFile(goModule.resolve("go.mod"))) {
                out.println("golab bench: no Go module at " + goModule + ", so no Go twin ran for " + trial.benchmark());
                return;
            }
            Path binary = build(goModule, twin.get().program());
            Files.createDirectories(trials.resolve(twin.get().benchmark()));
            List<String> full = new ArrayList<>(List.of(binary.toString(), "-trials", trials.toString(),
                    "-benchmark", twin.get().benchmark(), "-seed", Long.toString(seed)));
            full.addAll(twin.get().flags());
            out.println("golab bench: Go twin: " + String.join(" ", full));
            out.flush();
            int exit = inherit(new ProcessBuilder(full));
            if (exit != 0) {
                out.println("golab bench: the Go twin exited with status " + exit + "; its trial stays incomplete");
            }
        }
    }

    private static List<TrialManifest> golabTrials(Path trials) throws IOException {
        if (!Files.isDirectory(trials)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(trials)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().equals(TrialFolder.TRIAL)).sorted().toList();
            List<TrialManifest> manifests = new ArrayList<>();
            for (Path f : found) {
                TrialManifest m = JSON.readValue(f.toFile(), TrialManifest.class);
                if (m.status().equals(TrialManifest.COMPLETE)) {
                    manifests.add(m);
                }
            }
            return manifests;
        }
    }

    private static boolean goOnPath() {
        try {
            Process p = new ProcessBuilder("go", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Builds {@code workloads/go/<program>} into a temporary folder (Go's build cache makes rebuilds quick). */
    private static Path build(Path goModule, String program) throws IOException, InterruptedException {
        Path binary = Files.createTempDirectory("golab-go-twin").resolve(program);
        ProcessBuilder go = new ProcessBuilder("go", "build", "-o", binary.toString(), "./" + program)
                .directory(goModule.toFile());
        if (inherit(go) != 0) {
            throw new IOException("go build ./" + program + " failed in " + goModule);
        }
        return binary;
    }

    private static int inherit(ProcessBuilder process) throws IOException, InterruptedException {
        return process.inheritIO().start().waitFor();
    }
}

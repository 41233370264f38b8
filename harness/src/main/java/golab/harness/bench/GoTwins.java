package golab.harness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import golab.harness.report.Column;
import golab.harness.report.GoBenchFile;
import golab.harness.report.GoBenchResult;
import golab.harness.report.RunKey;
import golab.harness.run.RunFolder;
import golab.workloads.record.AtomicFiles;
import golab.workloads.record.TrialFolder;
import golab.workloads.record.TrialManifest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs real Go beside golab, after JMH, in the same run: the one place that says which golab benchmark has which
 * Go twin in {@code workloads/go}. Two kinds of twin:
 *
 * <ul>
 * <li>Lab workloads that record trials (the request server, the live-heap churn): for each parameter set the twin
 *     program runs once with the same parameters and iterations into the same {@code trials/} folder, recorded the
 *     same way (see {@code workloads/go/README.md}).</li>
 * <li>Side-by-side micro-benchmarks ({@link #MICRO}: channels, select, mutex, sync.Pool, a forced collection,
 *     the churn's loads and stores): their Go benchmarks in {@code workloads/go/micro} run under
 *     {@code go test -bench} at the gomaxprocs values of the run ({@code -cpu}), as many times as JMH measured
 *     ({@code -count}: measurement iterations × forks) for as long ({@code -benchtime}: the measurement iteration
 *     time). Go's output goes to {@code go-bench.txt} in the run
 *     folder, unmodified, and parsed to {@code go-bench.json} ({@link GoBenchFile}), which {@code golab show} and
 *     the sweep report set beside JMH's scores.</li>
 * </ul>
 *
 * <p>It needs a Go toolchain on the PATH; without one the run says so and keeps its golab results.
 */
public final class GoTwins {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Go package of the micro-benchmarks' twins, relative to the module {@code workloads/go}. */
    static final String MICRO_PACKAGE = "./micro";

    /**
     * golab's side-by-side micro-benchmarks and the Go benchmarks in {@code workloads/go/micro} that do the same
     * work, counting an operation as the Java side's {@code @OperationsPerInvocation} does. A JMH parameter other
     * than {@code gomaxprocs} is a sub-benchmark level {@code name=value} (in name order); {@code gomaxprocs} is
     * Go's {@code -cpu}.
     */
    static final SequencedMap<String, String> MICRO = sequenced(
            "golab.workloads.chan.PingPongBench.golabPingPong", "BenchmarkPingPong",
            "golab.workloads.chan.BufferedChanBench.golabBuffered", "BenchmarkBufferedChan",
            "golab.workloads.chan.SelectBench.golabSelect", "BenchmarkSelect",
            "golab.workloads.chan.CounterBench.golabMutex", "BenchmarkCounterMutex",
            "golab.workloads.chan.CounterBench.golabChannel", "BenchmarkCounterChannel",
            "golab.workloads.chan.PoolBench.golabPool", "BenchmarkPoolGetPut",
            "golab.workloads.chan.PoolBench.golabAllocate", "BenchmarkPoolAllocate",
            "golab.workloads.gc.ForcedGcBench.golabForcedGc", "BenchmarkForcedGC",
            "golab.workloads.gc.NodeUpdateBench.golabNodeUpdate", "BenchmarkNodeUpdate");

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
     * Runs the Go twins of what the run in {@code folder} measured: the trial workloads' twins with the run's
     * {@code seed}, then the micro-benchmarks' twins, all from the Go module {@code goModule}; reports to
     * {@code out}.
     */
    public static void run(RunFolder folder, Path goModule, long seed, PrintWriter out)
            throws IOException, InterruptedException {
        runTrialTwins(folder.trials(), goModule, seed, out);
        runMicroTwins(folder, goModule, out);
    }

    private static void runTrialTwins(Path trials, Path goModule, long seed, PrintWriter out)
            throws IOException, InterruptedException {
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
                out.println("golab: no Go toolchain on the PATH, so no Go twin ran for " + trial.benchmark());
                return;
            }
            if (!Files.isRegularFile(goModule.resolve("go.mod"))) {
                out.println("golab: no Go module at " + goModule + ", so no Go twin ran for " + trial.benchmark());
                return;
            }
            Path binary = build(goModule, twin.get().program());
            Files.createDirectories(trials.resolve(twin.get().benchmark()));
            List<String> full = new ArrayList<>(List.of(binary.toString(), "-trials", trials.toString(),
                    "-benchmark", twin.get().benchmark(), "-seed", Long.toString(seed)));
            full.addAll(twin.get().flags());
            out.println("golab: Go twin: " + String.join(" ", full));
            out.flush();
            int exit = inherit(new ProcessBuilder(full));
            if (exit != 0) {
                out.println("golab: the Go twin exited with status " + exit + "; its trial stays incomplete");
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
        return goVersion().isPresent();
    }

    /** {@code go version}'s answer, or empty when there is no working Go toolchain on the PATH. */
    private static Optional<String> goVersion() {
        try {
            Process p = new ProcessBuilder("go", "version").redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0 ? Optional.of(version) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    // ---- micro-benchmarks: go test -bench in workloads/go/micro ----

    /**
     * A JMH run of a micro-benchmark with a Go twin, as {@code jmh.json} records it: which run, how many
     * measurement samples (iterations × forks) and how long each iteration was.
     */
    record MeasuredRun(RunKey key, long samples, long iterationNanos) {
    }

    /**
     * One {@code go test -bench} run: the Go benchmarks (full names, sub-benchmark levels included), the
     * GOMAXPROCS values, the count, the time per run ({@code 1s}, {@code 500ms}, or {@code 1x}) and how long
     * the whole may take before Go's test timeout stops it.
     */
    record MicroInvocation(SortedSet<String> goBenchmarks, SortedSet<Integer> gomaxprocs, long count,
                           String benchtime, long timeoutSeconds) {

        /** {@code -bench}'s regular expression: one anchored alternation per level of the names. */
        String regex() {
            List<Set<String>> levels = new ArrayList<>();
            for (String name : goBenchmarks) {
                String[] parts = name.split("/");
                for (int i = 0; i < parts.length; i++) {
                    if (levels.size() <= i) {
                        levels.add(new TreeSet<>());
                    }
                    levels.get(i).add(parts[i]);
                }
            }
            return levels.stream()
                    .map(level -> "^(" + level.stream().map(GoTwins::quote).collect(Collectors.joining("|")) + ")$")
                    .collect(Collectors.joining("/"));
        }

        List<String> command() {
            return List.of("go", "test", "-run", "^$", "-bench", regex(),
                    "-cpu", gomaxprocs.stream().map(String::valueOf).collect(Collectors.joining(",")),
                    "-count", Long.toString(count), "-benchtime", benchtime, "-timeout", timeoutSeconds + "s", MICRO_PACKAGE);
        }
    }

    /** The Go benchmark that stands beside the JMH run {@code key}, sub-benchmark levels included, if any. */
    static Optional<String> goBenchmarkOf(RunKey key) {
        String base = MICRO.get(key.benchmark());
        if (base == null) {
            return Optional.empty();
        }
        StringBuilder name = new StringBuilder(base);
        key.params().forEach((param, value) -> {
            if (!param.equals(Column.GOMAXPROCS)) {
                name.append('/').append(param).append('=').append(value);
            }
        });
        return Optional.of(name.toString());
    }

    /**
     * The golab benchmark and JMH parameters of a Go result line ({@code BenchmarkSelect/cases=2} at GOMAXPROCS 2
     * is {@code SelectBench.golabSelect} with {@code cases=2, gomaxprocs=2}), or empty for a Go benchmark that is
     * no twin.
     */
    static Optional<GoBenchResult> twinResult(String goBenchmark, int gomaxprocs, List<Double> nsPerOp) {
        String[] levels = goBenchmark.split("/");
        Optional<String> benchmark = MICRO.entrySet().stream()
                .filter(e -> e.getValue().equals(levels[0])).map(Map.Entry::getKey).findFirst();
        if (benchmark.isEmpty()) {
            return Optional.empty();
        }
        SortedMap<String, String> params = new TreeMap<>();
        for (int i = 1; i < levels.length; i++) {
            int eq = levels[i].indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            params.put(levels[i].substring(0, eq), levels[i].substring(eq + 1));
        }
        params.put(Column.GOMAXPROCS, Integer.toString(gomaxprocs));
        return Optional.of(GoBenchResult.of(benchmark.get(), goBenchmark, params, nsPerOp));
    }

    /** Go's result lines gathered per benchmark and GOMAXPROCS, in the order Go ran them; non-twins are left out. */
    static List<GoBenchResult> results(List<GoBenchOutput.Line> lines) {
        record GoRun(String name, int gomaxprocs) {
        }
        Map<GoRun, List<Double>> runs = new LinkedHashMap<>();
        for (GoBenchOutput.Line line : lines) {
            runs.computeIfAbsent(new GoRun(line.name(), line.gomaxprocs()), k -> new ArrayList<>()).add(line.nsPerOp());
        }
        List<GoBenchResult> results = new ArrayList<>();
        runs.forEach((run, ns) -> twinResult(run.name(), run.gomaxprocs(), ns).ifPresent(results::add));
        return results;
    }

    /**
     * The {@code go test} runs that measure the Go twins of {@code measured}: one per distinct samples, iteration
     * time and number of sub-benchmark levels (usually one for benchmarks without parameters beyond gomaxprocs,
     * one for those with one). Only average-time runs ({@code avgt}, time per operation, what Go
     * reports) with a {@code gomaxprocs} parameter have a twin run.
     */
    static List<MicroInvocation> microInvocations(List<MeasuredRun> measured) {
        record Shape(long samples, long iterationNanos, int depth) {
        }
        Map<Shape, List<MeasuredRun>> groups = new LinkedHashMap<>();
        for (MeasuredRun run : measured) {
            Optional<String> go = goBenchmarkOf(run.key());
            if (run.key().mode().equals("avgt") && run.key().params().containsKey(Column.GOMAXPROCS) && go.isPresent()) {
                // Go skips a benchmark without sub-benchmarks when -bench has more levels than its name, so each
                // depth of name gets its own run.
                Shape shape = new Shape(run.samples(), run.iterationNanos(), go.get().split("/").length);
                groups.computeIfAbsent(shape, k -> new ArrayList<>()).add(run);
            }
        }
        List<MicroInvocation> invocations = new ArrayList<>();
        groups.forEach((shape, runs) -> {
            SortedSet<String> names = runs.stream().map(r -> goBenchmarkOf(r.key()).orElseThrow())
                    .collect(Collectors.toCollection(TreeSet::new));
            SortedSet<Integer> procs = runs.stream().map(r -> Integer.parseInt(r.key().params().get(Column.GOMAXPROCS)))
                    .collect(Collectors.toCollection(TreeSet::new));
            long count = shape.samples();
            long iterationSeconds = Math.ceilDiv(shape.iterationNanos(), 1_000_000_000L);
            // Each run ramps b.N up to the benchtime (about twice the benchtime in all); allow five times that.
            long seconds = 5 * count * procs.size() * names.size() * iterationSeconds;
            invocations.add(new MicroInvocation(names, procs, count, goDuration(shape.iterationNanos()), 600 + seconds));
        });
        return invocations;
    }

    /** The JMH runs in {@code jmh.json} with their measurement samples and iteration time. */
    static List<MeasuredRun> measuredRuns(Path jmhResult) throws IOException {
        JsonNode root = JSON.readTree(jmhResult.toFile());
        List<MeasuredRun> runs = new ArrayList<>();
        if (root == null || !root.isArray()) {
            return runs;
        }
        for (JsonNode run : root) {
            Map<String, String> params = new TreeMap<>();
            run.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            RunKey key = RunKey.of(run.path("benchmark").asText(), run.path("mode").asText(), params);
            long samples = Math.max(1, run.path("measurementIterations").asLong(1) * run.path("forks").asLong(1));
            TimeValue time = TimeValue.fromString(run.path("measurementTime").asText("1 s"));
            runs.add(new MeasuredRun(key, samples, time.convertTo(TimeUnit.NANOSECONDS)));
        }
        return runs;
    }

    /** A duration as Go's flags write it, in the largest unit that keeps it whole: {@code 1s}, {@code 500ms}. */
    static String goDuration(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        } else if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        } else if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }

    /** A command-line word as a POSIX shell reads it back: quoted when it holds anything but plain characters. */
    private static String shellWord(String word) {
        return word.matches("[A-Za-z0-9_./,=:+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /** Escapes the characters that Go's regexp syntax (RE2) would read as operators. */
    private static String quote(String literal) {
        return literal.replaceAll("([\\\\.+*?()|\\[\\]{}^$])", "\\\\$1");
    }

    private static void runMicroTwins(RunFolder folder, Path goModule, PrintWriter out)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(folder.jmhResult())) {
            return;
        }
        List<MicroInvocation> invocations = microInvocations(measuredRuns(folder.jmhResult()));
        if (invocations.isEmpty()) {
            return;
        }
        Optional<String> version = goVersion();
        if (version.isEmpty()) {
            out.println("golab: no Go toolchain on the PATH, so the micro-benchmarks' Go twins did not run");
            return;
        }
        if (!Files.isRegularFile(goModule.resolve("go.mod"))) {
            out.println("golab: no Go module at " + goModule + ", so the micro-benchmarks' Go twins did not run");
            return;
        }
        StringBuilder output = new StringBuilder();
        List<GoBenchFile.Invocation> ran = new ArrayList<>();
        for (MicroInvocation invocation : invocations) {
            out.println("golab: Go twins: (cd " + goModule + " && "
                    + invocation.command().stream().map(GoTwins::shellWord).collect(Collectors.joining(" ")) + ")");
            out.flush();
            int exit = runMicro(invocation, goModule, output, out);
            ran.add(new GoBenchFile.Invocation(invocation.command(), exit));
            if (exit != 0) {
                out.println("golab: go test exited with status " + exit + "; its output is in "
                        + folder.goBenchOutput());
            }
        }
        AtomicFiles.write(folder.goBenchOutput(), output.toString());
        GoBenchFile parsed = new GoBenchFile(version.get(), ran, results(GoBenchOutput.parse(output.toString())));
        AtomicFiles.write(folder.goBenchResult(), parsed.toJson());
        out.flush();
    }

    /** Runs one {@code go test} in {@code goModule}, its output (stdout and stderr) echoed and kept in {@code output}. */
    static int runMicro(MicroInvocation invocation, Path goModule, StringBuilder output, PrintWriter echo)
            throws IOException, InterruptedException {
        Process go = new ProcessBuilder(invocation.command()).directory(goModule.toFile()).redirectErrorStream(true)
                .start();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(go.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.append(line).append('\n');
                echo.println(line);
                echo.flush();
            }
        } finally {
            if (go.isAlive()) {
                go.destroy();
            }
        }
        return go.waitFor();
    }

    private static SequencedMap<String, String> sequenced(String... pairs) {
        SequencedMap<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableSequencedMap(map);
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

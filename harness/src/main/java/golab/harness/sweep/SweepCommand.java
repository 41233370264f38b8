package golab.harness.sweep;

import golab.harness.GolabHome;
import golab.harness.RunFailure;
import golab.harness.bench.ForkJvmFlags;
import golab.harness.bench.GoTwins;
import golab.harness.report.JmhResult;
import golab.harness.report.JmhResultFile;
import golab.harness.report.RunKey;
import golab.workloads.record.AtomicFiles;
import golab.harness.run.GitState;
import golab.harness.run.JdkInfo;
import golab.harness.run.MachineInfo;
import golab.harness.run.RunFolder;
import golab.harness.run.RunManifest;
import golab.harness.run.RunOptions;
import golab.harness.run.StoredRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.util.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code golab sweep}: the lab's main job. Runs the selected benchmarks at each GOMAXPROCS value
 * with short JMH settings (a few minutes on two cores) and leaves a run folder
 * ({@link RunFolder}) with the manifest, JMH's JSON and a Markdown report.
 *
 * <p>Order of writes, each atomic: manifest (incomplete), jmh.json, the Go twins' results (with Go on the PATH,
 * see {@link GoTwins}), report.md, manifest (complete). A sweep stopped at any point leaves a folder whose manifest says incomplete.
 */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Quick sweep of the workloads across GOMAXPROCS values, written to results/runs/<id>/.",
        description = {
            "Runs the workload benchmarks at each GOMAXPROCS value with short JMH settings (a few minutes"
                    + " on 2 cores) and writes a run folder: manifest.json (settings, JDK, machine, commit, status),"
                    + " jmh.json (JMH's JSON, unmodified) and report.md (score per GOMAXPROCS for each benchmark,"
                    + " and golab / JVM-baseline ratios). With Go on the PATH the measured benchmarks' Go twins then"
                    + " run too (as in golab bench; --no-go skips them) and the report sets Go's scores beside"
                    + " golab's. Prints the folder's path at the end.",
            "A quick sweep shows the shape of the results; raise --forks and --iterations before concluding.",
            ""
        },
        footer = {
            "",
            "Exit codes: 0 all runs measured, 1 a run failed or JMH failed, 2 bad option.",
            "",
            "Example:",
            "  golab sweep --include 'golab\\.workloads\\.sched\\..*' --gomaxprocs 1,2,4 --forks 2"
        })
public final class SweepCommand implements Callable<Integer> {

    /**
     * The default sweep: the side-by-side scheduler and channel benchmarks that answer the lab's first questions,
     * and the request server with its recorded tail latency, pauses and hiccups, in about four and a half minutes
     * on two cores. {@code --include 'golab\.workloads\..*'} runs everything.
     */
    static final String QUICK_SET = "golab\\.workloads\\.(sched\\.(SpawnBench|ParkReadyBench|GoschedBench)"
            + "|chan\\.(PingPongBench|CounterBench|PoolBench)|lab\\.RequestServer)\\..*";

    @Option(names = "--include", paramLabel = "REGEX", defaultValue = QUICK_SET,
            converter = RegexConverter.class,
            description = "Benchmarks to run: a Java regex found in package.Class.method; repeat to add more "
                    + "(default: ${DEFAULT-VALUE}).")
    private List<String> include;

    @Option(names = "--exclude", paramLabel = "REGEX", converter = RegexConverter.class,
            description = "Benchmarks to leave out, as for --include; repeatable.")
    private List<String> exclude = new ArrayList<>();

    @Option(names = "--gomaxprocs", paramLabel = "N[,N...]", defaultValue = "1,2",
            converter = GomaxprocsList.Converter.class,
            description = "GOMAXPROCS values, distinct positive integers, comma-separated: each becomes a value "
                    + "of the benchmarks' gomaxprocs parameter (default: ${DEFAULT-VALUE}).")
    private GomaxprocsList gomaxprocs;

    @Option(names = "--forks", paramLabel = "N", defaultValue = "1", converter = Counts.AtLeastOne.class,
            description = "JVM forks per run, at least 1 (default: ${DEFAULT-VALUE}).")
    private int forks;

    @Option(names = "--warmup-iterations", paramLabel = "N", defaultValue = "2", converter = Counts.AtLeastZero.class,
            description = "Warmup iterations per fork, 0 or more (default: ${DEFAULT-VALUE}).")
    private int warmupIterations;

    @Option(names = "--warmup-time", paramLabel = "TIME", defaultValue = "1s", converter = IterationTime.Converter.class,
            description = "Duration of a warmup iteration: 500ms, 1s, 2min... (default: ${DEFAULT-VALUE}).")
    private IterationTime warmupTime;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "3", converter = Counts.AtLeastOne.class,
            description = "Measurement iterations per fork, at least 1 (default: ${DEFAULT-VALUE}).")
    private int iterations;

    @Option(names = "--iteration-time", paramLabel = "TIME", defaultValue = "1s",
            converter = IterationTime.Converter.class,
            description = "Duration of a measurement iteration (default: ${DEFAULT-VALUE}).")
    private IterationTime iterationTime;

    @Option(names = "--no-go",
            description = "Do not run the Go twins of the measured benchmarks, even with Go on the PATH.")
    private boolean noGo;

    @Mixin
    private RunOptions run;

    @Spec
    private CommandSpec spec;

    /** The settings as given on the command line; tests read them without running a sweep. */
    public SweepSettings settings() {
        return new SweepSettings(include, exclude, gomaxprocs, forks, warmupIterations, warmupTime,
                iterations, iterationTime);
    }

    /** Where the run folder goes. */
    public Path runsDirectory() {
        return run.runsDirectory();
    }

    @Override
    public Integer call() throws IOException {
        ForkJvmFlags.requireOnHost();
        SweepSettings settings = settings();
        SweepPlan plan = SweepPlan.of(settings);
        if (plan.runs().isEmpty()) {
            throw new RunFailure("no benchmark matches --include " + String.join(" ", settings.include())
                    + (settings.exclude().isEmpty() ? "" : " --exclude " + String.join(" ", settings.exclude()))
                    + "; list the benchmarks with 'golab bench -l'.");
        }
        PrintWriter console = spec.commandLine().getOut();
        console.printf("golab sweep: %d benchmarks, %d runs, about %s%n",
                plan.benchmarkCount(), plan.runs().size(), roughly(settings.estimatedDuration(plan.runs().size())));
        console.flush();

        Instant start = Instant.now();
        RunFolder folder = RunFolder.create(runsDirectory(), start);
        RunManifest<SweepSettings> manifest = RunManifest.started(folder.id(), commandLine(), settings,
                JdkInfo.current(), MachineInfo.current(), GitState.of(GolabHome.directory()).orElse(null),
                Version.getPlainVersion(), run.seed(), plan.runs().stream().map(RunKey::describe).toList(), start);
        manifest.writeTo(folder.manifest());

        List<JmhResult> results = measure(settings, folder, run.seed());
        if (!noGo) {
            try {
                GoTwins.run(folder, GolabHome.directory().resolve("workloads").resolve("go"), run.seed(), console);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunFailure("interrupted while a Go twin ran, so " + folder.path() + " stays incomplete");
            }
        }
        List<RunKey> failed = plan.withoutResult(results);
        RunManifest<SweepSettings> completed =
                manifest.completed(Instant.now(), failed.stream().map(RunKey::describe).toList());
        AtomicFiles.write(folder.report(), SweepReport.render(completed, plan.outcomes(results), folder.trials(),
                StoredRun.readGoBench(folder.goBenchResult())));
        completed.writeTo(folder.manifest());

        console.printf("golab sweep: %d of %d runs measured; report: %s%n",
                plan.runs().size() - failed.size(), plan.runs().size(), folder.report());
        console.println(folder.path());
        console.flush();
        return failed.isEmpty() ? ExitCode.OK : ExitCode.SOFTWARE;
    }

    /** Runs JMH into a hidden file in the folder, then moves the finished JSON into place. */
    private static List<JmhResult> measure(SweepSettings settings, RunFolder folder, long seed) throws IOException {
        Path inProgress = folder.jmhResultInProgress();
        try {
            new Runner(ForkJvmFlags.recordingInto(settings.toJmhOptions(inProgress), folder.trials(), seed)).run();
        } catch (RunnerException e) {
            throw new RunFailure("JMH failed, so " + folder.path() + " stays incomplete: " + e.getMessage(), e);
        }
        AtomicFiles.moveIntoPlace(inProgress, folder.jmhResult());
        return JmhResultFile.read(folder.jmhResult());
    }

    private List<String> commandLine() {
        List<String> command = new ArrayList<>(List.of("golab"));
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        return command;
    }

    private static String roughly(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds < 120 ? seconds + " s" : Math.round(seconds / 60.0) + " min";
    }
}

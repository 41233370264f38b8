package golab.harness.bench;

import golab.harness.GolabHome;
import golab.harness.RunFailure;
import golab.harness.report.JmhResult;
import golab.harness.report.JmhResultFile;
import golab.harness.report.RunKey;
import golab.harness.run.GitState;
import golab.harness.run.JdkInfo;
import golab.harness.run.MachineInfo;
import golab.harness.run.RunFolder;
import golab.harness.run.RunManifest;
import golab.harness.run.RunOptions;
import golab.harness.sweep.SweepPlan;
import golab.workloads.record.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.ProfilersFailedException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code golab bench}: JMH's own command line ({@code org.openjdk.jmh.Main}) over the benchmarks
 * in golab.jar. Arguments go to JMH untouched, and golab adds: a run folder for every run
 * ({@code results/runs/<id>/}: manifest, JMH's JSON, each trial's recordings under {@code trials/}),
 * {@code -p} checked before anything runs ({@link ParameterCheck}), forks that keep the JVM flags
 * goroutines need even under {@code -jvmArgs} ({@link ForkJvmFlags}), and golab's exit codes (2 for
 * options JMH or golab reject, 1 for a failed run).
 */
@Command(
        name = "bench",
        customSynopsis = "golab bench [-h] [--no-go] [--seed N] [--out DIR] [JMH benchmark regexp...] [JMH option...]",
        header = "Run JMH on golab's benchmarks into a run folder, JMH's options passed through.",
        description = {
            "Arguments go to JMH unchanged, with the syntax of 'java -jar benchmarks.jar': benchmark"
                    + " regexps, -p, -f, -i, -wi, -r, -w, -l, -lp, -prof, -jvmArgs...",
            "Every run writes a folder results/runs/<id>/ (or under --out DIR, given before the JMH arguments):"
                    + " manifest.json, jmh.json (JMH's JSON; hence no -rf/-rff) and trials/ with each trial's .hlog"
                    + " recordings, gctrace and metrics. -p names and values are checked before anything runs.",
            "With Go on the PATH, each workload that has a Go twin (workloads/go) is then run on real Go with the"
                    + " same parameters and iterations, into the same trials/ folder; the channel and sync"
                    + " micro-benchmarks' Go twins (workloads/go/micro) run under go test -bench with the run's"
                    + " gomaxprocs (-cpu), measurement iterations (-count) and iteration time (-benchtime), into"
                    + " go-bench.txt and go-bench.json; golab show sets them beside JMH's scores (--no-go skips all"
                    + " of that).",
            "Forks inherit golab's JVM flags. -jvmArgs replaces them, so when it is given golab prepends"
                    + " --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED (and the launcher's other flags) with"
                    + " -jvmArgsPrepend, and says so: goroutines keep working in the forks.",
            "As with JMH, a benchmark that throws does not fail the run unless -foe true is given.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  golab bench -l",
            "  golab bench 'golab.workloads.lab.RequestServer' -p gomaxprocs=1,2 -p liveHeap=256MiB -f 1",
            "",
            "JMH's options:"
        })
public final class BenchCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, description = "Show this help, followed by JMH's options, and exit.")
    private boolean helpRequested;

    @Option(names = "--no-go",
            description = "Do not run the Go twins of the measured workloads, even with Go on the PATH.")
    private boolean noGo;

    @Mixin
    private RunOptions run;

    /** Everything from the first argument that is not one of golab's own options on. */
    @Unmatched
    private List<String> jmhArguments = new ArrayList<>();

    @Spec
    private CommandSpec spec;

    /**
     * Makes the parser hand the rest of the command line to JMH as soon as it meets an argument other than
     * golab's own ({@code -h}, {@code --no-go}, {@code --seed}, {@code --out}): JMH options such as {@code -prof}
     * must not be read as picocli option clusters, nor values such as {@code -jvmArgs "-Xmx1g"} as options.
     */
    public static void configure(CommandLine bench) {
        bench.setStopAtUnmatched(true);
    }

    @Override
    public Integer call() throws IOException {
        if (helpRequested) {
            printHelpWithJmhOptions();
            return ExitCode.OK;
        }
        CommandLineOptions jmh = parseJmhOptions();
        if (jmh.shouldHelp()) {
            jmh.showHelp();
        } else if (jmh.shouldList()) {
            CompiledBenchmarks.require();
            new Runner(jmh).list();
        } else if (jmh.shouldListWithParams()) {
            CompiledBenchmarks.require();
            new Runner(jmh).listWithParams(jmh);
        } else if (jmh.shouldListProfilers()) {
            jmh.listProfilers();
        } else if (jmh.shouldListResultFormats()) {
            jmh.listResultFormats();
        } else {
            run(jmh);
        }
        return ExitCode.OK;
    }

    private CommandLineOptions parseJmhOptions() {
        try {
            return new CommandLineOptions(jmhArguments.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            throw new ParameterException(spec.commandLine(), "JMH rejected the arguments: " + e.getMessage());
        }
    }

    private void run(CommandLineOptions jmh) throws IOException {
        CompiledBenchmarks.require();
        ForkJvmFlags.requireOnHost();
        if (jmh.getResult().hasValue() || jmh.getResultFormat().hasValue()) {
            throw new ParameterException(spec.commandLine(), "-rf and -rff are golab's to set: JMH's JSON goes to "
                    + "jmh.json in the run folder, whose path golab bench prints at the end.");
        }
        Collection<BenchmarkListEntry> selected = SweepPlan.selected(jmh.getIncludes(), jmh.getExcludes());
        if (selected.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no benchmark matches " + describeIncludes(jmh)
                    + "; list them with 'golab bench -l'.");
        }
        Map<String, List<String>> given = givenParameters();
        SweepPlan plan = SweepPlan.of(selected, given);
        try {
            ParameterCheck.check(selected, given, plan.runs(), MachineInfo.current().memoryBytes());
        } catch (ParameterCheck.BadParameter e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }

        Instant start = Instant.now();
        RunFolder folder = RunFolder.create(run.runsDirectory(), start);
        RunManifest<BenchSettings> manifest = RunManifest.started(folder.id(), commandLine(),
                new BenchSettings(jmhArguments), JdkInfo.current(), MachineInfo.current(),
                GitState.of(GolabHome.directory()).orElse(null), Version.getPlainVersion(), run.seed(),
                plan.runs().stream().map(RunKey::describe).toList(), start);
        manifest.writeTo(folder.manifest());

        Options options = ForkJvmFlags.recordingInto(jmh, folder.trials(), run.seed());
        if (ForkJvmFlags.replacesInheritedFlags(jmh)) {
            options = ForkJvmFlags.prependRequired(options);
            PrintWriter err = spec.commandLine().getErr();
            err.println("golab bench: -jvmArgs replaces the JVM flags forks would inherit; prepending "
                    + String.join(" ", ForkJvmFlags.REQUIRED) + " with -jvmArgsPrepend (your own flags come later and win).");
            err.flush();
        }
        options = new OptionsBuilder().parent(options).resultFormat(ResultFormatType.JSON)
                .result(folder.jmhResultInProgress().toString()).build();
        try {
            new Runner(options).run();
        } catch (NoBenchmarksException e) {
            throw new RunFailure("no benchmark matches " + describeIncludes(jmh) + "; list them with 'golab bench -l'.");
        } catch (ProfilersFailedException e) {
            throw new RunFailure("a profiler failed, so " + folder.path() + " stays incomplete: " + causeChain(e));
        } catch (RunnerException e) {
            throw new RunFailure("JMH failed, so " + folder.path() + " stays incomplete: " + e.getMessage(), e);
        }
        AtomicFiles.moveIntoPlace(folder.jmhResultInProgress(), folder.jmhResult());
        if (!noGo) {
            try {
                GoTwins.run(folder, GolabHome.directory().resolve("workloads").resolve("go"), run.seed(),
                        spec.commandLine().getOut());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunFailure("interrupted while a Go twin ran, so " + folder.path() + " stays incomplete");
            }
        }
        List<JmhResult> results = JmhResultFile.read(folder.jmhResult());
        List<RunKey> failed = plan.withoutResult(results);
        manifest.completed(Instant.now(), failed.stream().map(RunKey::describe).toList()).writeTo(folder.manifest());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("golab bench: %d of %d runs measured; run folder:%n%s%n", plan.runs().size() - failed.size(),
                plan.runs().size(), folder.path());
        out.flush();
    }

    /** The {@code -p name=v1,v2} pairs given to JMH, by name (a later {@code -p} of the same name wins, as in JMH). */
    private Map<String, List<String>> givenParameters() {
        Map<String, List<String>> given = new TreeMap<>();
        for (int i = 0; i + 1 < jmhArguments.size(); i++) {
            if (jmhArguments.get(i).equals("-p")) {
                String pair = jmhArguments.get(++i);
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    given.put(pair.substring(0, eq), List.of(pair.substring(eq + 1).split(",")));
                }
            }
        }
        return given;
    }

    private List<String> commandLine() {
        List<String> command = new ArrayList<>(List.of("golab", "bench"));
        command.addAll(jmhArguments);
        return command;
    }

    private static String describeIncludes(CommandLineOptions jmh) {
        return jmh.getIncludes().isEmpty() ? "(no pattern given)" : String.join(" or ", jmh.getIncludes());
    }

    /** JMH nests each profiler's complaint as a cause or a suppressed exception: show them all. */
    private static String causeChain(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.add(cause.getMessage());
            for (Throwable suppressed : cause.getSuppressed()) {
                messages.add(suppressed.getMessage());
            }
        }
        return String.join("; ", messages);
    }

    private void printHelpWithJmhOptions() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        spec.commandLine().usage(out);
        out.flush();
        try {
            new CommandLineOptions().showHelp();
        } catch (CommandLineOptionException e) {
            throw new IllegalStateException("JMH rejected an empty command line", e);
        }
    }
}

package golab.harness.bench;

import golab.harness.RunFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.ProfilersFailedException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code golab bench}: JMH's own command line ({@code org.openjdk.jmh.Main}) over the benchmarks
 * in golab.jar. Every argument goes to JMH untouched; golab adds only two things: forks keep the
 * JVM flags goroutines need even under {@code -jvmArgs} ({@link ForkJvmFlags}), and errors map
 * to golab's exit codes (2 for options JMH rejects, 1 for a failed run).
 */
@Command(
        name = "bench",
        customSynopsis = "golab bench [-h] [JMH benchmark regexp...] [JMH option...]",
        header = "Run JMH on golab's benchmarks, every option passed to JMH untouched.",
        description = {
            "All arguments go to JMH unchanged, with the syntax of 'java -jar benchmarks.jar': benchmark"
                    + " regexps, -p, -f, -i, -wi, -r, -w, -rf json -rff FILE, -l, -lp, -prof, -jvmArgs...",
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
            "  golab bench 'golab.workloads.sched.*' -p gomaxprocs=1,2 -f 1 \\",
            "      -rf json -rff out.json",
            "",
            "JMH's options:"
        })
public final class BenchCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, description = "Show this help, followed by JMH's options, and exit.")
    private boolean helpRequested;

    /** Everything from the first argument that is not golab's own help flag on. */
    @Unmatched
    private List<String> jmhArguments = new ArrayList<>();

    @Spec
    private CommandSpec spec;

    /**
     * Makes the parser hand the rest of the command line to JMH as soon as it meets an argument
     * other than golab's own {@code -h}/{@code --help}: JMH options such as {@code -prof} must not be read as picocli option
     * clusters, nor values such as {@code -jvmArgs "-Xmx1g"} as options.
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

    private void run(CommandLineOptions jmh) {
        CompiledBenchmarks.require();
        ForkJvmFlags.requireOnHost();
        Options options = jmh;
        if (ForkJvmFlags.replacesInheritedFlags(jmh)) {
            options = ForkJvmFlags.prependRequired(jmh);
            PrintWriter err = spec.commandLine().getErr();
            err.println("golab bench: -jvmArgs replaces the JVM flags forks would inherit; prepending "
                    + String.join(" ", ForkJvmFlags.REQUIRED) + " with -jvmArgsPrepend (your own flags come later and win).");
            err.flush();
        }
        try {
            new Runner(options).run();
        } catch (NoBenchmarksException e) {
            throw new RunFailure("no benchmark matches " + describeIncludes(jmh) + "; list them with 'golab bench -l'.");
        } catch (ProfilersFailedException e) {
            throw new RunFailure("a profiler failed: " + causeChain(e));
        } catch (RunnerException e) {
            throw new RunFailure("JMH failed: " + e.getMessage(), e);
        }
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

package golab.harness;

import golab.harness.bench.BenchCommand;
import golab.harness.show.ShowCommand;
import golab.harness.sweep.SweepCommand;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code golab} command line, main class of {@code harness/target/golab.jar}.
 *
 * <p>Exit codes: 0 success, 1 a run failed (JMH error, failed benchmark, I/O error),
 * 2 bad command-line input (unknown option, malformed value).
 *
 * <p>Start it through {@code scripts/golab}: the launcher passes the JVM flags that goroutines
 * need ({@link golab.harness.bench.ForkJvmFlags}) and tells the harness where the repository
 * is ({@link GolabHome}).
 */
@Command(
        name = "golab",
        mixinStandardHelpOptions = true,
        versionProvider = GolabVersion.class,
        description = {
            "A performance lab for the Go runtime on the JVM: Go-style workloads on a re-implementation"
                    + " of the Go runtime core (goroutines, scheduler, channels, allocator, GC), measured with JMH."
        },
        subcommands = {SweepCommand.class, BenchCommand.class, ShowCommand.class, HelpCommand.class},
        footer = {
            "",
            "Start with 'golab sweep': a quick sweep over all workloads that writes results/runs/<id>/report.md.",
            "",
            "Exit codes: 0 success, 1 a run failed, 2 bad command-line input."
        })
public final class Golab implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** Runs when no command is given: a usage error, answered with the usage text. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests use it to parse and execute without exiting the JVM. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Golab());
        commandLine.setParameterExceptionHandler(Golab::reportUsageError);
        commandLine.setExecutionExceptionHandler(Golab::reportFailure);
        // "@file" arguments are JMH regexps or values here, never picocli argument files.
        commandLine.setExpandAtFiles(false);
        BenchCommand.configure(commandLine.getSubcommands().get("bench"));
        return commandLine;
    }

    /**
     * Prints what was wrong with the command line and where to read more, without the full usage
     * text, which would bury the one line that matters.
     */
    private static int reportUsageError(ParameterException problem, String[] args) {
        CommandLine command = problem.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + problem.getMessage());
        UnmatchedArgumentException.printSuggestions(problem, err);
        err.println("See '" + name + " --help'.");
        err.flush();
        return ExitCode.USAGE;
    }

    /**
     * Prints an exception thrown by a command. A {@link RunFailure} is the user's to act on and
     * carries a complete message (plus the trace of its cause, if a library failed underneath);
     * anything else is a defect, so its stack trace is kept.
     */
    private static int reportFailure(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (failure instanceof RunFailure runFailure) {
            err.println(command.getCommandSpec().qualifiedName() + ": " + runFailure.getMessage());
            if (runFailure.getCause() != null) {
                runFailure.getCause().printStackTrace(err);
            }
        } else {
            failure.printStackTrace(err);
        }
        err.flush();
        return ExitCode.SOFTWARE;
    }
}

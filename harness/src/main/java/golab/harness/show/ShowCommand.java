package golab.harness.show;

import golab.harness.RunFailure;
import golab.harness.run.MalformedRunException;
import golab.harness.run.StoredRun;
import golab.harness.report.GoComparison;
import golab.harness.report.JmhResult;
import golab.harness.report.MarkdownTables;
import golab.harness.report.ScoreTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code golab show RUN}: the micro-benchmarks that have Go twins beside Go's scores from the same run
 * ({@link GoComparison}), then JMH's scores of the other benchmarks (one {@link ScoreTable} per class), then what a
 * run folder's trials recorded, one row per trial and stream, in milliseconds over the measurement iterations.
 * {@code golab show RUN RUN...}: golab / Go of each run side by side and their median
 * ({@link GoComparison#acrossRuns}). Reads each folder with {@link StoredRun}, so a folder that is
 * incomplete or malformed is refused with the name of the file at fault.
 */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        header = "Summarise the recordings of a run folder: percentiles of every trial's streams.",
        description = {
            "RUN is a run folder (results/runs/<id>) written by golab bench or golab sweep. For each micro-benchmark"
                    + " whose Go twin ran (go-bench.json): golab's score, the virtual-thread score, Go's median and"
                    + " golab / Go, per gomaxprocs. For the other benchmarks: JMH's scores, per gomaxprocs. For each"
                    + " trial (one fork of one parameter set) and each of its .hlog streams: the count of values and their p50, p99,"
                    + " p99.9 and max in milliseconds, over the measurement iterations.",
            "Given several RUNs (for instance short golab bench runs back to back, each measuring golab then Go, so"
                    + " that the two interleave): golab / Go of every run, in the order given, and their median.",
            ""
        })
public final class ShowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN", arity = "1..*", description = "The run folder, or several.")
    private List<Path> runs;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (runs.size() > 1) {
            List<List<GoComparison>> each = new ArrayList<>();
            for (Path run : runs) {
                StoredRun stored = read(run);
                each.add(GoComparison.of(stored.results(), stored.goBench()));
            }
            if (each.stream().allMatch(List::isEmpty)) {
                throw new RunFailure("none of the " + runs.size() + " runs has a golab micro-benchmark beside its Go"
                        + " twin (go-bench.json): golab bench runs the twins when go is on the PATH and --no-go is not given.");
            }
            out.println("golab / Go in each of " + runs.size() + " runs, in the order given (" + runs.stream()
                    .map(r -> r.getFileName().toString()).collect(Collectors.joining(", ")) + "), and the median:");
            out.println();
            out.print(GoComparison.acrossRuns(each));
            out.flush();
            return ExitCode.OK;
        }
        StoredRun stored = read(runs.getFirst());
        List<GoComparison> beside = GoComparison.of(stored.results(), stored.goBench());
        if (!beside.isEmpty()) {
            out.println("golab, virtual threads and Go doing the same work, measured in this run (JMH's score ± error;"
                    + " Go: the median of its runs, their number in brackets; golab / Go below 1: golab took less time):");
            out.println();
            out.print(GoComparison.markdown(beside));
            out.println();
        }
        printOtherScores(out, stored.results(), beside);
        if (stored.trials().isEmpty()) {
            out.println("(no trials recorded: the run's benchmarks are not lab workloads)");
        } else {
            out.print(TrialTable.render(stored.trials()));
        }
        out.flush();
        return ExitCode.OK;
    }

    /**
     * JMH's scores of the benchmark classes that have no row beside Go (a run without Go twins, a workload with no
     * twin, a floor such as {@code ContinuationSwitchBench}), one table per class.
     */
    private static void printOtherScores(PrintWriter out, List<JmhResult> results, List<GoComparison> beside) {
        Set<String> shown = beside.stream()
                .map(c -> c.golab().key().className())
                .collect(Collectors.toSet());
        List<JmhResult> others = results.stream().filter(r -> !shown.contains(r.key().className())).toList();
        if (others.isEmpty()) {
            return;
        }
        out.println("JMH's scores of the run's other benchmarks (score ± error):");
        for (ScoreTable table : ScoreTable.of(others)) {
            out.println();
            out.println(table.className() + ":");
            out.println();
            out.print(MarkdownTables.scores(table));
        }
        out.println();
    }

    private static StoredRun read(Path run) {
        try {
            return StoredRun.read(run.toAbsolutePath().normalize());
        } catch (MalformedRunException e) {
            throw new RunFailure(e.getMessage());
        }
    }
}

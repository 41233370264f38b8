package golab.harness.sweep;

import golab.harness.bench.CompiledBenchmarks;
import golab.harness.report.Column;
import golab.harness.report.FailedRun;
import golab.harness.report.JmhResult;
import golab.harness.report.RunKey;
import golab.harness.report.RunOutcome;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Every JMH run a sweep will make, worked out before measuring the way JMH's Runner does
 * (each benchmark in each of its modes, for every combination of parameter values, the sweep's
 * values replacing the annotated ones). Known up front, the runs can be counted, timed and,
 * afterwards, checked off: a planned run without a result failed.
 */
public record SweepPlan(List<RunKey> runs) {

    public SweepPlan {
        runs = List.copyOf(runs);
    }

    /** The plan for the benchmarks compiled into golab.jar that the settings select. */
    public static SweepPlan of(SweepSettings settings) {
        return of(selected(settings.include(), settings.exclude()),
                Map.of(Column.GOMAXPROCS, List.of(settings.gomaxprocs().asParameterValues())));
    }

    /** The benchmarks compiled into golab.jar that match an {@code include} and no {@code exclude} pattern. */
    public static Collection<BenchmarkListEntry> selected(List<String> include, List<String> exclude) {
        CompiledBenchmarks.require();
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        return BenchmarkList.defaultList().find(OutputFormatFactory.createFormatInstance(silent, VerboseMode.SILENT),
                include, exclude);
    }

    /** The runs of {@code entries} with the parameter values in {@code overrides} replacing the annotated ones. */
    public static SweepPlan of(Collection<BenchmarkListEntry> entries, Map<String, List<String>> overrides) {
        List<RunKey> runs = new ArrayList<>();
        for (BenchmarkListEntry entry : entries) {
            Map<String, String[]> declared = entry.getParams().orElse(Map.of());
            for (Mode mode : modes(entry.getMode())) {
                for (Map<String, String> params : combinations(declared, overrides)) {
                    runs.add(RunKey.of(entry.getUsername(), mode.shortLabel(), params));
                }
            }
        }
        return new SweepPlan(runs);
    }

    /** {@code @BenchmarkMode(Mode.All)} stands for every real mode. */
    private static List<Mode> modes(Mode declared) {
        return declared == Mode.All
                ? Arrays.stream(Mode.values()).filter(m -> m != Mode.All).toList()
                : List.of(declared);
    }

    /**
     * Every combination of parameter values, one value per parameter. A parameter takes the
     * overriding values if there are any for its name, else its {@code @Param} values; overrides
     * for parameters the benchmark does not declare are ignored, as JMH ignores them.
     */
    static List<Map<String, String>> combinations(Map<String, String[]> declared, Map<String, List<String>> overrides) {
        List<Map<String, String>> combinations = new ArrayList<>();
        combinations.add(new TreeMap<>());
        for (Map.Entry<String, String[]> parameter : new TreeMap<>(declared).entrySet()) {
            List<String> values = overrides.getOrDefault(parameter.getKey(), List.of(parameter.getValue()));
            List<Map<String, String>> extended = new ArrayList<>();
            for (Map<String, String> partial : combinations) {
                for (String value : values) {
                    Map<String, String> combination = new TreeMap<>(partial);
                    combination.put(parameter.getKey(), value);
                    extended.add(combination);
                }
            }
            combinations = extended;
        }
        return combinations;
    }

    /** The number of distinct benchmark methods in the plan. */
    public long benchmarkCount() {
        return runs.stream().map(RunKey::benchmark).distinct().count();
    }

    /** The planned runs that have no result in {@code results}. */
    public List<RunKey> withoutResult(Collection<JmhResult> results) {
        Set<RunKey> measured = results.stream().map(JmhResult::key).collect(Collectors.toSet());
        return runs.stream().filter(run -> !measured.contains(run)).toList();
    }

    /** Each planned run's outcome: its result, or a {@link FailedRun}. */
    public List<RunOutcome> outcomes(Collection<JmhResult> results) {
        Map<RunKey, RunOutcome> byKey = new LinkedHashMap<>();
        results.forEach(result -> byKey.put(result.key(), result));
        withoutResult(results).forEach(missing -> byKey.put(missing, new FailedRun(missing)));
        return List.copyOf(byKey.values());
    }
}

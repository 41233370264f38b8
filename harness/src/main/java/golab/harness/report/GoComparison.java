package golab.harness.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One golab micro-benchmark at one parameter set beside its virtual-thread baseline (when it has one) and its Go
 * twin measured in the same run: JMH's scores, Go's median ns/op in the same unit and the ratio golab / Go.
 *
 * @param golab          golab's JMH result
 * @param virtualThreads the result of the {@code virtualThreads} method of the same group and parameters, if any
 * @param go             what Go measured for the same benchmark and parameters
 */
public record GoComparison(JmhResult golab, Optional<JmhResult> virtualThreads, GoBenchResult go) {

    /** Go's results beside the JMH results of their golab twins, by benchmark, other parameters, then gomaxprocs. */
    public static List<GoComparison> of(List<JmhResult> results, List<GoBenchResult> goResults) {
        List<GoComparison> comparisons = new ArrayList<>();
        for (GoBenchResult go : goResults) {
            results.stream()
                    .filter(r -> r.key().mode().equals("avgt") && go.twinOf(r.key()))
                    .findFirst()
                    .ifPresent(golab -> comparisons.add(new GoComparison(golab, virtualThreadsBeside(results, golab), go)));
        }
        comparisons.sort(ORDER);
        return comparisons;
    }

    /** By benchmark, other parameters, then gomaxprocs. */
    private static final Comparator<GoComparison> ORDER = Comparator
            .comparing((GoComparison c) -> c.golab().key().benchmark())
            .thenComparing(c -> otherParams(c.golab().key()).toString())
            .thenComparing(c -> Column.of(c.golab().key()));

    /** Go's median in the unit of golab's score ({@code ns/op}, {@code us/op}...), or empty for a unit that is not time per op. */
    public OptionalDouble goScore() {
        Double nanosPerUnit = NANOS_PER_UNIT.get(golab.unit());
        return nanosPerUnit == null ? OptionalDouble.empty() : OptionalDouble.of(go.medianNsPerOp() / nanosPerUnit);
    }

    /** golab's score / Go's median: below 1, golab took less time per operation. */
    public OptionalDouble ratio() {
        OptionalDouble goScore = goScore();
        return goScore.isPresent() && goScore.getAsDouble() > 0
                ? OptionalDouble.of(golab.score() / goScore.getAsDouble())
                : OptionalDouble.empty();
    }

    private static final Map<String, Double> NANOS_PER_UNIT = Map.of(
            "ns/op", 1.0, "us/op", 1e3, "ms/op", 1e6, "s/op", 1e9);

    /**
     * {@code | benchmark | gomaxprocs | golab | virtual threads | Go | golab / Go | unit |}: JMH's scores with
     * their error, Go's median of its runs.
     */
    public static String markdown(List<GoComparison> comparisons) {
        StringBuilder table = new StringBuilder(
                "| benchmark | gomaxprocs | golab | virtual threads | Go (median) | golab / Go | unit |\n"
                        + "|---|---:|---:|---:|---:|---:|---|\n");
        for (GoComparison c : comparisons) {
            RunKey key = c.golab().key();
            table.append("| ").append(label(key))
                    .append(" | ").append(key.params().getOrDefault(Column.GOMAXPROCS, MarkdownTables.NOT_RUN))
                    .append(" | ").append(ScoreFormat.scoreWithError(c.golab().score(), c.golab().scoreError()))
                    .append(" | ").append(c.virtualThreads()
                            .map(vt -> ScoreFormat.scoreWithError(vt.score(), vt.scoreError()))
                            .orElse(MarkdownTables.NOT_RUN))
                    .append(" | ").append(c.goScore().isPresent()
                            ? ScoreFormat.scoreWithError(c.goScore().getAsDouble(), Double.NaN)
                                    + " (" + c.go().nsPerOp().size() + ")"
                            : MarkdownTables.NOT_RUN)
                    .append(" | ").append(c.ratio().isPresent() ? ScoreFormat.ratio(c.ratio().getAsDouble())
                            : MarkdownTables.NOT_RUN)
                    .append(" | ").append(c.golab().unit()).append(" |\n");
        }
        return table.toString();
    }

    /**
     * {@code | benchmark | gomaxprocs | golab / Go, run by run | median | runs |} over several runs of the same
     * benchmarks, in the order given ({@code —} where a run lacks the row). Each {@code golab bench} run measures
     * golab, then Go: a ratio is only as good as the machine's steadiness between the two, so several short runs
     * back to back interleave them, and the median of their ratios resists a run that drifted.
     */
    public static String acrossRuns(List<List<GoComparison>> runs) {
        Map<RunKey, Double[]> ratios = new LinkedHashMap<>();
        List<GoComparison> firstOfEach = new ArrayList<>();
        for (int run = 0; run < runs.size(); run++) {
            for (GoComparison c : runs.get(run)) {
                Double[] row = ratios.computeIfAbsent(c.golab().key(), key -> {
                    firstOfEach.add(c);
                    return new Double[runs.size()];
                });
                if (c.ratio().isPresent()) {
                    row[run] = c.ratio().getAsDouble();
                }
            }
        }
        firstOfEach.sort(ORDER);
        StringBuilder table = new StringBuilder("| benchmark | gomaxprocs | golab / Go, run by run | median | runs |\n"
                + "|---|---:|---|---:|---:|\n");
        for (GoComparison c : firstOfEach) {
            Double[] row = ratios.get(c.golab().key());
            List<Double> present = Arrays.stream(row).filter(Objects::nonNull).toList();
            table.append("| ").append(label(c.golab().key()))
                    .append(" | ").append(c.golab().key().params().getOrDefault(Column.GOMAXPROCS, MarkdownTables.NOT_RUN))
                    .append(" | ").append(Arrays.stream(row)
                            .map(r -> r == null ? MarkdownTables.NOT_RUN : ScoreFormat.ratio(r))
                            .collect(Collectors.joining(" ")))
                    .append(" | ").append(present.isEmpty() ? MarkdownTables.NOT_RUN : ScoreFormat.ratio(Median.of(present)))
                    .append(" | ").append(present.size()).append(" |\n");
        }
        return table.toString();
    }

    private static Optional<JmhResult> virtualThreadsBeside(List<JmhResult> results, JmhResult golab) {
        Optional<Contender.Method> method = Contender.of(golab.key().method());
        if (method.isEmpty()) {
            return Optional.empty();
        }
        String benchmark = golab.key().className() + "." + Contender.VIRTUAL_THREADS.method(method.get().group());
        return results.stream()
                .filter(r -> r.key().benchmark().equals(benchmark) && r.key().mode().equals(golab.key().mode())
                        && r.key().params().equals(golab.key().params()))
                .findFirst();
    }

    /** {@code Class.method} and the parameters other than gomaxprocs: {@code SelectBench.golabSelect cases=2}. */
    private static String label(RunKey key) {
        String name = shortName(key.benchmark());
        String params = otherParams(key).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return params.isEmpty() ? name : name + " " + params;
    }

    private static SortedMap<String, String> otherParams(RunKey key) {
        SortedMap<String, String> other = new TreeMap<>(key.params());
        other.remove(Column.GOMAXPROCS);
        return other;
    }

    /** {@code Class.method} of a benchmark name. */
    private static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts.length > 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
    }
}

package golab.harness.report;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What real Go measured for the twin of one golab micro-benchmark at one parameter set: Go's ns/op of each
 * {@code -count} run, in the order Go printed them. The golab benchmark and the parameters (its JMH
 * {@code @Param} names, {@code gomaxprocs} among them: Go's {@code -cpu} value) name the JMH run it stands beside.
 *
 * @param benchmark   the golab benchmark, {@code package.Class.method}
 * @param goBenchmark the Go benchmark as {@code go test} names it, without the {@code -N} GOMAXPROCS suffix
 *                    ({@code BenchmarkSelect/cases=2})
 * @param params      the JMH parameter values the Go run mirrors, {@code gomaxprocs} included
 * @param nsPerOp     Go's ns/op per run
 */
public record GoBenchResult(String benchmark, String goBenchmark, SortedMap<String, String> params,
                            List<Double> nsPerOp) {

    public GoBenchResult {
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
        nsPerOp = List.copyOf(nsPerOp);
        if (nsPerOp.isEmpty()) {
            throw new IllegalArgumentException("a Go result needs at least one run: " + goBenchmark);
        }
    }

    public static GoBenchResult of(String benchmark, String goBenchmark, Map<String, String> params,
                                   List<Double> nsPerOp) {
        return new GoBenchResult(benchmark, goBenchmark, new TreeMap<>(params), nsPerOp);
    }

    /** The median of the runs' ns/op (the mean of the middle two for an even count), as benchstat summarises. */
    public double medianNsPerOp() {
        return Median.of(nsPerOp);
    }

    /** Whether this is Go's side of the JMH run {@code key} (same benchmark and parameter values). */
    public boolean twinOf(RunKey key) {
        return key.benchmark().equals(benchmark) && key.params().equals(params);
    }
}

package golab.harness.report;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What identifies one JMH run in a sweep: the benchmark ({@code package.Class.method}), its
 * mode ({@code thrpt}, {@code avgt}, {@code sample}, {@code ss}) and its parameter values, as
 * JMH writes them in its JSON (values are strings even for numeric {@code @Param}s).
 */
public record RunKey(String benchmark, String mode, SortedMap<String, String> params) {

    public RunKey {
        if (benchmark.lastIndexOf('.') <= 0) {
            throw new IllegalArgumentException("not a package.Class.method benchmark name: " + benchmark);
        }
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
    }

    public static RunKey of(String benchmark, String mode, Map<String, String> params) {
        return new RunKey(benchmark, mode, new TreeMap<>(params));
    }

    /** The fully qualified benchmark class. */
    public String className() {
        return benchmark.substring(0, benchmark.lastIndexOf('.'));
    }

    /** The {@code @Benchmark} method. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** For messages and manifests: {@code pkg.Class.method thrpt gomaxprocs=2}. */
    public String describe() {
        String values = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        return values.isEmpty() ? benchmark + " " + mode : benchmark + " " + mode + " " + values;
    }
}

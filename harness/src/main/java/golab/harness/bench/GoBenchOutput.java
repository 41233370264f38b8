package golab.harness.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the result lines of {@code go test -bench} output, Go's benchmark format:
 *
 * <pre>
 * BenchmarkPingPong                 	  654055	       425.9 ns/op
 * BenchmarkSelect/cases=2-2         	 1000000	       256.6 ns/op	       0 B/op	       0 allocs/op
 * </pre>
 *
 * <p>A name, with {@code -N} appended when the benchmark ran at GOMAXPROCS N other than 1 (testing's
 * {@code benchmarkName}); the iteration count b.N; then value-unit pairs, of which {@code ns/op} is the one read.
 * Every other line ({@code goos:}, {@code pkg:}, {@code PASS}, {@code ok}, a failure's log) is skipped.
 */
final class GoBenchOutput {

    /** Name (no spaces: Go turns them into underscores), optional -N, b.N, then the measurements. */
    private static final Pattern RESULT = Pattern.compile("^(Benchmark\\S*?)(?:-(\\d+))?\\s+(\\d+)\\s+(.*)$");
    private static final Pattern NS_PER_OP = Pattern.compile("(?:^|\\s)([0-9.eE+-]+) ns/op(?:\\s|$)");

    /** One result line: the benchmark's name without the suffix, its GOMAXPROCS, b.N and ns/op. */
    record Line(String name, int gomaxprocs, long iterations, double nsPerOp) {
    }

    private GoBenchOutput() {
    }

    static List<Line> parse(String output) {
        List<Line> lines = new ArrayList<>();
        for (String text : output.lines().toList()) {
            Matcher result = RESULT.matcher(text.strip());
            if (!result.matches()) {
                continue;
            }
            Matcher ns = NS_PER_OP.matcher(result.group(4));
            if (!ns.find()) {
                continue;
            }
            int procs = result.group(2) == null ? 1 : Integer.parseInt(result.group(2));
            lines.add(new Line(result.group(1), procs, Long.parseLong(result.group(3)), Double.parseDouble(ns.group(1))));
        }
        return lines;
    }
}

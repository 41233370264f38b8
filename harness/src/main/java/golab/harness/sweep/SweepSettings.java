package golab.harness.sweep;

import java.nio.file.Path;
import java.time.Duration;
import golab.harness.report.Column;
import java.util.List;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What a sweep measures and how long: the benchmarks (JMH regexps over
 * {@code package.Class.method}), the GOMAXPROCS values, and JMH's forks and iterations. Recorded
 * as {@code parameters} in the run's manifest.
 */
public record SweepSettings(
        List<String> include,
        List<String> exclude,
        GomaxprocsList gomaxprocs,
        int forks,
        int warmupIterations,
        IterationTime warmupTime,
        int iterations,
        IterationTime iterationTime) {

    /**
     * Seconds a fork spends outside iterations (JVM start, JIT of the harness, teardown),
     * measured on a 2-core machine; only used to tell the user how long a sweep will take.
     */
    private static final Duration FORK_OVERHEAD = Duration.ofMillis(1500);

    public SweepSettings {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    /**
     * JMH options for the sweep, writing JMH's JSON to {@code resultFile}. A benchmark that
     * throws does not stop the sweep: the run is reported as failed and the others still run.
     */
    public Options toJmhOptions(Path resultFile) {
        ChainedOptionsBuilder options = new OptionsBuilder();
        include.forEach(options::include);
        exclude.forEach(options::exclude);
        return options
                .param(Column.GOMAXPROCS, gomaxprocs.asParameterValues())
                .forks(forks)
                .warmupIterations(warmupIterations)
                .warmupTime(warmupTime.toTimeValue())
                .measurementIterations(iterations)
                .measurementTime(iterationTime.toTimeValue())
                .resultFormat(ResultFormatType.JSON)
                .result(resultFile.toString())
                .shouldFailOnError(false)
                .build();
    }

    /** Roughly how long {@code runs} JMH runs take with these settings. */
    public Duration estimatedDuration(int runs) {
        Duration perFork = FORK_OVERHEAD
                .plus(warmupTime.toDuration().multipliedBy(warmupIterations))
                .plus(iterationTime.toDuration().multipliedBy(iterations));
        return perFork.multipliedBy((long) forks * runs);
    }
}

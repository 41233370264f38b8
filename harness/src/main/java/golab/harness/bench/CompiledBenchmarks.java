package golab.harness.bench;

import golab.harness.RunFailure;
import org.openjdk.jmh.runner.BenchmarkList;

/**
 * The list of benchmarks that JMH's annotation processor wrote into golab.jar when it compiled
 * the workloads. Without any {@code @Benchmark} method there is no list, and JMH itself would
 * only fail with a stack trace.
 */
public final class CompiledBenchmarks {

    private CompiledBenchmarks() {}

    public static void require() {
        if (CompiledBenchmarks.class.getResource(BenchmarkList.BENCHMARK_LIST) == null) {
            throw new RunFailure("golab.jar contains no benchmarks (" + BenchmarkList.BENCHMARK_LIST
                    + " is missing): there are no @Benchmark methods under workloads/src/main/java yet.");
        }
    }
}

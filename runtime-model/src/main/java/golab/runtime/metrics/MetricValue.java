package golab.runtime.metrics;

/** A runtime/metrics value: Go's {@code metrics.Value} kinds. */
public sealed interface MetricValue {

    /** {@code KindUint64}. */
    record Uint64(long value) implements MetricValue {
    }

    /** {@code KindFloat64}. */
    record Float64(double value) implements MetricValue {
    }

    /** {@code KindFloat64Histogram}. */
    record Histogram(Float64Histogram histogram) implements MetricValue {
    }
}

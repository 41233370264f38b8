package golab.runtime.metrics;

/**
 * What a metric means: Go's {@code metrics.Description}.
 *
 * @param name        Go's name, e.g. {@code /sched/latencies:seconds}; names under {@code /golab/} are golab's own
 * @param description what it measures
 * @param cumulative  whether it only ever grows (diff two reads for an interval)
 */
public record MetricDescription(String name, String description, boolean cumulative) {
}

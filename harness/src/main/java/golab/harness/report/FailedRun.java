package golab.harness.report;

/**
 * A run the sweep planned but JMH produced no result for: the benchmark threw, or its fork
 * died. JMH's console output holds the reason.
 */
public record FailedRun(RunKey key) implements RunOutcome {}

package golab.harness.report;

/**
 * The primary metric of one run, as in JMH's JSON: {@code score}, and {@code scoreError}, the
 * half-width of JMH's 99.9% confidence interval over iterations (NaN when there were too few
 * iterations to compute one), both in {@code unit} (such as {@code ops/ms} or {@code us/op}).
 */
public record JmhResult(RunKey key, double score, double scoreError, String unit) implements RunOutcome {}

package golab.harness.report;

/** What became of one planned JMH run: a measured score, or nothing because it failed. */
public sealed interface RunOutcome permits JmhResult, FailedRun {

    RunKey key();
}
